-- Tolls as reported (#13): deaths and injuries with low, best and high estimates and the
-- source's qualifier. `fatalities` and `injured` stay, as the best figure, so every count,
-- figure and rollup keeps reading them.

CREATE TYPE "TollQualifier" AS ENUM ('EXACT', 'AT_LEAST', 'AT_MOST', 'ABOUT', 'RANGE');

ALTER TABLE "events"
  ADD COLUMN "deaths_low" INTEGER,
  ADD COLUMN "deaths_high" INTEGER,
  ADD COLUMN "deaths_qualifier" "TollQualifier",
  ADD COLUMN "deaths_text" TEXT,
  ADD COLUMN "injuries_low" INTEGER,
  ADD COLUMN "injuries_high" INTEGER,
  ADD COLUMN "injuries_qualifier" "TollQualifier",
  ADD COLUMN "injuries_text" TEXT;

-- Figures stored before had no qualifier: they become EXACT (the article's words are not
-- stored with them; the seed, which knows them, is redrawn by its own ingestion).
UPDATE "events" SET "deaths_low" = "fatalities", "deaths_high" = "fatalities", "deaths_qualifier" = 'EXACT'
WHERE "fatalities" IS NOT NULL;
UPDATE "events" SET "injuries_low" = "injured", "injuries_high" = "injured", "injuries_qualifier" = 'EXACT'
WHERE "injured" IS NOT NULL;

-- The rules of Toll (contract): a qualifier exactly when there is a figure; 0 <= low <= best <= high;
-- EXACT sets all three alike, AT_LEAST low and no high, AT_MOST high, ABOUT best, RANGE low and high.
CREATE FUNCTION timeline_toll_holds(best integer, low integer, high integer, qualifier "TollQualifier", words text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT (qualifier IS NULL) = (best IS NULL)
     AND (qualifier IS NOT NULL OR (low IS NULL AND high IS NULL AND words IS NULL))
     AND coalesce(low, 0) >= 0
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
ALTER TABLE "events"
  ADD CONSTRAINT "events_deaths_check" CHECK (timeline_toll_holds("fatalities", "deaths_low", "deaths_high", "deaths_qualifier", "deaths_text")),
  ADD CONSTRAINT "events_injuries_check" CHECK (timeline_toll_holds("injured", "injuries_low", "injuries_high", "injuries_qualifier", "injuries_text"));

-- A row written with a plain figure and no qualifier (SQL by hand, an older writer) reads it as
-- EXACT; a figure cleared clears its toll.
CREATE FUNCTION timeline_event_toll_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.fatalities IS NULL THEN
    NEW.deaths_low := NULL; NEW.deaths_high := NULL; NEW.deaths_qualifier := NULL; NEW.deaths_text := NULL;
  ELSIF NEW.deaths_qualifier IS NULL THEN
    NEW.deaths_low := NEW.fatalities; NEW.deaths_high := NEW.fatalities; NEW.deaths_qualifier := 'EXACT';
  END IF;
  IF NEW.injured IS NULL THEN
    NEW.injuries_low := NULL; NEW.injuries_high := NULL; NEW.injuries_qualifier := NULL; NEW.injuries_text := NULL;
  ELSIF NEW.injuries_qualifier IS NULL THEN
    NEW.injuries_low := NEW.injured; NEW.injuries_high := NEW.injured; NEW.injuries_qualifier := 'EXACT';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER events_toll_default BEFORE INSERT OR UPDATE OF fatalities, injured, deaths_qualifier, injuries_qualifier ON events
  FOR EACH ROW EXECUTE FUNCTION timeline_event_toll_default();
