-- Hand-written: what the Prisma schema cannot express. Full-text and trigram search indexes,
-- and the integrity rules the database enforces whatever client writes to it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Full-text search over title + summary with English stemming. The timeline query repeats this
-- exact expression (src/timeline/timeline.criteria.ts) so that the planner can use the index.
CREATE INDEX "events_search_idx" ON "events"
  USING GIN (to_tsvector('english', "title" || ' ' || coalesce("summary", '')));

-- Names and aliases in one lower-cased string, for case-insensitive substring and fuzzy search.
-- array_to_string is only STABLE in general; over text[] it is immutable, which the index needs.
CREATE FUNCTION timeline_search_names(name text, aliases text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(name || ' ' || array_to_string(coalesce(aliases, '{}'::text[]), ' ')) $$;

CREATE INDEX "participants_search_idx" ON "participants"
  USING GIN (timeline_search_names("name", "aliases") gin_trgm_ops);
CREATE INDEX "locations_search_idx" ON "locations"
  USING GIN (timeline_search_names("name", "aliases") gin_trgm_ops);

ALTER TABLE "participants" ALTER COLUMN "aliases" SET NOT NULL;
ALTER TABLE "locations" ALTER COLUMN "aliases" SET NOT NULL;

ALTER TABLE "events"
  ADD CONSTRAINT "events_period_check" CHECK ("ends_at" > "occurred_at"),
  ADD CONSTRAINT "events_fatalities_check" CHECK ("fatalities" >= 0),
  ADD CONSTRAINT "events_injured_check" CHECK ("injured" >= 0);

ALTER TABLE "event_links" ADD CONSTRAINT "event_links_not_self_check" CHECK ("cause_id" <> "effect_id");

ALTER TABLE "locations"
  ADD CONSTRAINT "locations_not_own_parent_check" CHECK ("parent_id" <> "id"),
  ADD CONSTRAINT "locations_country_code_check" CHECK ("country_code" ~ '^[A-Z]{2}$'),
  ADD CONSTRAINT "locations_latitude_check" CHECK ("latitude" BETWEEN -90 AND 90),
  ADD CONSTRAINT "locations_longitude_check" CHECK ("longitude" BETWEEN -180 AND 180);
