-- The change feed (#14): an outbox of every change to an event, written in the transaction of
-- the change; events carry a version that every recorded change advances.

-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('CREATED', 'UPDATED', 'DELETED');

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "event_changes" (
    "seq" BIGSERIAL NOT NULL,
    "txid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "kind" "ChangeKind" NOT NULL,
    "event_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fields" JSONB NOT NULL DEFAULT '[]',
    "state" JSONB NOT NULL,
    "source_id" INTEGER,

    CONSTRAINT "event_changes_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "event_changes_event_id_version_idx" ON "event_changes"("event_id", "version");

-- AddForeignKey
ALTER TABLE "event_changes" ADD CONSTRAINT "event_changes_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The feed's order: a reader takes entries below the oldest running writer's transaction id
-- (pg_snapshot_xmin), in (txid, seq) order, so an entry never appears behind one already read.
CREATE INDEX "event_changes_feed_idx" ON "event_changes"("txid", "seq");

-- An event's state as the change log records it: what the API serves of it, with the ids a
-- filter matches on. One definition, read before and after each write (src/changes/) and here.
-- Instants as UTC text with milliseconds, so that equal states compare equal.
CREATE FUNCTION timeline_instant(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
CREATE FUNCTION timeline_toll_state(best integer, low integer, high integer, qualifier "TollQualifier", words text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN qualifier IS NULL THEN NULL
    ELSE jsonb_build_object('low', low, 'best', best, 'high', high, 'qualifier', qualifier, 'text', words) END
$$;
CREATE FUNCTION timeline_event_state(event_id integer) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'title', e.title,
    'summary', e.summary,
    'occurredAt', timeline_instant(e.occurred_at),
    'precision', e.precision,
    'category', e.category,
    'status', e.status,
    'deaths', timeline_toll_state(e.fatalities, e.deaths_low, e.deaths_high, e.deaths_qualifier, e.deaths_text),
    'injuries', timeline_toll_state(e.injured, e.injuries_low, e.injuries_high, e.injuries_qualifier, e.injuries_text),
    'timeWindow', jsonb_build_object('earliest', timeline_instant(e.earliest), 'latest', timeline_instant(e.latest),
                                     'earliestBound', e.earliest_bound, 'latestBound', e.latest_bound),
    'location', (SELECT l.slug FROM locations l WHERE l.id = e.location_id),
    'locationId', e.location_id,
    'participants', coalesce((
      SELECT jsonb_agg(jsonb_build_object('role', ep.role, 'participant', p.slug, 'participantId', p.id) ORDER BY p.slug, ep.role)
      FROM event_participants ep JOIN participants p ON p.id = ep.participant_id WHERE ep.event_id = e.id), '[]'),
    'sources', coalesce((
      SELECT jsonb_agg(s.url ORDER BY s.url) FROM event_sources es JOIN sources s ON s.id = es.source_id WHERE es.event_id = e.id), '[]'),
    'causes', coalesce((SELECT jsonb_agg(l.cause_id ORDER BY l.cause_id) FROM event_links l WHERE l.effect_id = e.id), '[]'),
    'claims', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'claimant', p.slug, 'statement', c.statement,
               'deaths', timeline_toll_state(c.deaths_best, c.deaths_low, c.deaths_high, c.deaths_qualifier, c.deaths_text),
               'injuries', timeline_toll_state(c.injuries_best, c.injuries_low, c.injuries_high, c.injuries_qualifier, c.injuries_text),
               'source', s.url) ORDER BY c.position)
      FROM event_claims c LEFT JOIN participants p ON p.id = c.claimant_id LEFT JOIN sources s ON s.id = c.source_id
      WHERE c.event_id = e.id), '[]')
  )
  FROM events e WHERE e.id = event_id
$$;

-- Events stored before the log begin it with their creation, at version 1.
INSERT INTO "event_changes" ("kind", "event_id", "version", "at", "state")
SELECT 'CREATED', e.id, 1, e.created_at, timeline_event_state(e.id) FROM events e ORDER BY e.id;
