-- HTTP ETags (#14): a data version reads the latest change of each table; these make it cheap.

-- CreateIndex
CREATE INDEX "participants_updated_at_idx" ON "participants"("updated_at");

-- CreateIndex
CREATE INDEX "locations_updated_at_idx" ON "locations"("updated_at");

-- CreateIndex
CREATE INDEX "sources_updated_at_idx" ON "sources"("updated_at");
