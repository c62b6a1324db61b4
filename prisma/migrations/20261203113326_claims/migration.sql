-- Claims by claimant (#13): one party's account of an event, with its own tolls and source.
-- An event's toll may be derived from its claims' figures (the contract's Claim): the flags say
-- so, and the service derives it again whenever the claims change.

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "deaths_from_claims" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "injuries_from_claims" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "event_claims" (
    "id" SERIAL NOT NULL,
    "event_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "claimant_id" INTEGER,
    "statement" TEXT NOT NULL,
    "deaths_best" INTEGER,
    "deaths_low" INTEGER,
    "deaths_high" INTEGER,
    "deaths_qualifier" "TollQualifier",
    "deaths_text" TEXT,
    "injuries_best" INTEGER,
    "injuries_low" INTEGER,
    "injuries_high" INTEGER,
    "injuries_qualifier" "TollQualifier",
    "injuries_text" TEXT,
    "source_id" INTEGER,

    CONSTRAINT "event_claims_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "event_claims_claimant_id_idx" ON "event_claims"("claimant_id");

-- CreateIndex
CREATE INDEX "event_claims_source_id_idx" ON "event_claims"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "event_claims_event_id_position_key" ON "event_claims"("event_id", "position");

-- AddForeignKey
ALTER TABLE "event_claims" ADD CONSTRAINT "event_claims_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_claims" ADD CONSTRAINT "event_claims_claimant_id_fkey" FOREIGN KEY ("claimant_id") REFERENCES "participants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_claims" ADD CONSTRAINT "event_claims_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The tolls' rule let a negative best through when low was not set (ABOUT -1): no figure is below 0.
CREATE OR REPLACE FUNCTION timeline_toll_holds(best integer, low integer, high integer, qualifier "TollQualifier", words text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT (qualifier IS NULL) = (best IS NULL)
     AND (qualifier IS NOT NULL OR (low IS NULL AND high IS NULL AND words IS NULL))
     AND coalesce(low, 0) >= 0
     AND coalesce(best, 0) >= 0
     AND (low IS NULL OR low <= best)
     AND (high IS NULL OR best <= high)
     AND CASE qualifier
           WHEN 'EXACT' THEN low IS NOT DISTINCT FROM best AND high IS NOT DISTINCT FROM best
           WHEN 'AT_LEAST' THEN low IS NOT NULL AND high IS NULL
           WHEN 'AT_MOST' THEN high IS NOT NULL
           WHEN 'RANGE' THEN low IS NOT NULL AND high IS NOT NULL
           ELSE TRUE
         END
$$;

-- A claim's tolls follow the rules of an event's (migration tolls); a claim states something.
ALTER TABLE "event_claims"
  ADD CONSTRAINT "event_claims_deaths_check" CHECK (timeline_toll_holds("deaths_best", "deaths_low", "deaths_high", "deaths_qualifier", "deaths_text")),
  ADD CONSTRAINT "event_claims_injuries_check" CHECK (timeline_toll_holds("injuries_best", "injuries_low", "injuries_high", "injuries_qualifier", "injuries_text")),
  ADD CONSTRAINT "event_claims_statement_check" CHECK (length(btrim("statement")) > 0),
  ADD CONSTRAINT "event_claims_position_check" CHECK ("position" >= 0);
