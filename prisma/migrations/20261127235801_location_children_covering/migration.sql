-- DropIndex
DROP INDEX "locations_parent_id_idx";

-- CreateIndex
CREATE INDEX "locations_parent_id_id_idx" ON "locations"("parent_id", "id");
