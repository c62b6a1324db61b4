-- Time windows (issue 12): every event gets the earliest and latest instant it can have
-- started, narrowed from its date's period by explicit bounds, its sources' publication and its
-- causal links. The service keeps them in the writing transaction (src/events/event-windows.ts);
-- this migration computes them for what is stored, re-keys the dashboard's rollups on them and
-- moves the timeline's order and indexes from the date's start to the window's.
--
-- Where stored data contradicts itself (an effect dated before its cause, an OCCURRED event
-- dated after its earliest source), the reported dates are kept, the bound that cannot hold is
-- dropped, and each case is reported in data_reports (`npm run db:status` lists them).

CREATE TYPE "WindowBound" AS ENUM ('DATE', 'GIVEN', 'PUBLICATION', 'CAUSE', 'CONSEQUENCE');

-- The rollup triggers read occurred_at; they are replaced below. Until then the backfill's
-- updates must not fire them (each would touch every row twice).
DROP TRIGGER event_month_rollups_inserted ON events;
DROP TRIGGER event_month_rollups_deleted ON events;
DROP TRIGGER event_month_rollups_updated ON events;
DROP TRIGGER participant_month_rollups_added ON event_participants;
DROP TRIGGER participant_month_rollups_removed ON event_participants;
DROP TRIGGER participant_month_rollups_event_changed ON events;
DROP TRIGGER participant_month_rollups_event_deleted ON events;
DROP TRIGGER participant_month_rollups_locations_moved ON locations;
DROP FUNCTION timeline_event_rollup_inserted();
DROP FUNCTION timeline_event_rollup_deleted();
DROP FUNCTION timeline_event_rollup_updated();
DROP FUNCTION timeline_event_rollup_apply(integer[], timestamptz[], integer[], integer[], integer[]);
DROP FUNCTION timeline_rollup_participants_added();
DROP FUNCTION timeline_rollup_participants_removed();
DROP FUNCTION timeline_rollup_events_changed();
DROP FUNCTION timeline_rollup_event_deleted();
DROP FUNCTION timeline_rollup_locations_moved();
DROP FUNCTION timeline_rollup_rebuild(integer[]);
DROP FUNCTION timeline_rollup_apply(integer[], integer[], integer[], timestamptz[], integer[], integer[]);

DROP INDEX "events_ends_at_idx";
DROP INDEX "events_location_id_occurred_at_idx";
DROP INDEX "events_category_occurred_at_idx";

ALTER TABLE "events" ADD COLUMN "causal_depth" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "earliest" TIMESTAMPTZ(3),
ADD COLUMN "earliest_bound" "WindowBound" NOT NULL DEFAULT 'DATE',
ADD COLUMN "earliest_calendar" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "latest" TIMESTAMPTZ(3),
ADD COLUMN "latest_bound" "WindowBound" NOT NULL DEFAULT 'DATE',
ADD COLUMN "latest_calendar" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "not_after" TIMESTAMPTZ(3),
ADD COLUMN "not_after_calendar" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "not_before" TIMESTAMPTZ(3),
ADD COLUMN "not_before_calendar" BOOLEAN NOT NULL DEFAULT false;

-- 1. The date's period: a calendar date (DAY, MONTH, YEAR) spans its UTC days; an instant is exact.
UPDATE events SET earliest = occurred_at, latest = ends_at - interval '1 millisecond',
  earliest_calendar = precision <> 'TIME', latest_calendar = precision <> 'TIME';

-- 2. Publication: an OCCURRED event cannot have started after its earliest source appeared.
WITH published AS (
  SELECT es.event_id, min(s.published_at) AS at
  FROM event_sources es JOIN sources s ON s.id = es.source_id GROUP BY es.event_id
), held AS (
  UPDATE events e SET latest = p.at, latest_bound = 'PUBLICATION', latest_calendar = false
  FROM published p
  WHERE p.event_id = e.id AND e.status = 'OCCURRED' AND p.at < e.latest AND p.at >= e.earliest
  RETURNING e.id
)
INSERT INTO data_reports (migration, kind, event_id, detail)
SELECT '20261202214357_time_windows', 'dated_after_source', e.id,
       format('OCCURRED event %s ("%s") is dated from %s, after its earliest source was published (%s): its date is kept, the source does not bound it',
              e.id, left(e.title, 80), e.occurred_at, p.at)
FROM published p JOIN events e ON e.id = p.event_id
WHERE e.status = 'OCCURRED' AND p.at < e.earliest;

-- 3. Causes and consequences, to a fixed point: each round moves every window a link narrows;
-- chains take one round a link. A bound a link would push past the other end is not applied.
DO $$
DECLARE moved integer;
BEGIN
  LOOP
    WITH pushed AS (
      SELECT DISTINCT ON (l.effect_id) l.effect_id AS id, c.earliest AS at, c.earliest_calendar AS calendar
      FROM event_links l JOIN events c ON c.id = l.cause_id
      ORDER BY l.effect_id, c.earliest DESC
    )
    UPDATE events e SET earliest = p.at, earliest_bound = 'CAUSE', earliest_calendar = p.calendar
    FROM pushed p WHERE p.id = e.id AND p.at > e.earliest AND p.at <= e.latest;
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXIT WHEN moved = 0;
  END LOOP;
  LOOP
    WITH pushed AS (
      SELECT DISTINCT ON (l.cause_id) l.cause_id AS id, f.latest AS at, f.latest_calendar AS calendar
      FROM event_links l JOIN events f ON f.id = l.effect_id
      ORDER BY l.cause_id, f.latest ASC
    )
    UPDATE events e SET latest = p.at, latest_bound = 'CONSEQUENCE', latest_calendar = p.calendar
    FROM pushed p WHERE p.id = e.id AND p.at < e.latest AND p.at >= e.earliest;
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXIT WHEN moved = 0;
  END LOOP;
  LOOP
    UPDATE events e SET causal_depth = d.depth
    FROM (SELECT l.effect_id AS id, max(c.causal_depth) + 1 AS depth
          FROM event_links l JOIN events c ON c.id = l.cause_id GROUP BY l.effect_id) d
    WHERE d.id = e.id AND d.depth > e.causal_depth;
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXIT WHEN moved = 0;
  END LOOP;
END
$$;

INSERT INTO data_reports (migration, kind, event_id, detail)
SELECT '20261202214357_time_windows', 'effect_before_cause', e.id,
       format('Event %s ("%s") may have started at %s at the latest, before event %s ("%s") it responded to could have started (%s): both dates are kept, the link does not bound them',
              e.id, left(e.title, 80), e.latest, c.id, left(c.title, 80), c.earliest)
FROM event_links l JOIN events e ON e.id = l.effect_id JOIN events c ON c.id = l.cause_id
WHERE c.earliest > e.latest;

ALTER TABLE "events" ALTER COLUMN "earliest" SET NOT NULL, ALTER COLUMN "latest" SET NOT NULL;

-- A window lies inside its date's period: a filter on the window can bound its index range by
-- the period's longest length (events_period_length_check).
ALTER TABLE "events" ADD CONSTRAINT "events_window_check"
  CHECK ("earliest" >= "occurred_at" AND "latest" < "ends_at" AND "earliest" <= "latest");

-- Rows inserted without a window (a bulk load, SQL by hand) get their date's period; the
-- service then narrows it.
CREATE FUNCTION timeline_event_window_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.earliest IS NULL THEN
    NEW.earliest := NEW.occurred_at;
    NEW.earliest_bound := 'DATE';
    NEW.earliest_calendar := NEW.precision <> 'TIME';
  END IF;
  IF NEW.latest IS NULL THEN
    NEW.latest := NEW.ends_at - interval '1 millisecond';
    NEW.latest_bound := 'DATE';
    NEW.latest_calendar := NEW.precision <> 'TIME';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER events_window_default BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION timeline_event_window_default();

CREATE INDEX "events_earliest_causal_depth_id_idx" ON "events"("earliest", "causal_depth", "id");
CREATE INDEX "events_location_id_earliest_idx" ON "events"("location_id", "earliest")
  INCLUDE ("id", "latest", "earliest_calendar", "latest_calendar", "category", "status", "fatalities", "injured");
CREATE INDEX "events_category_earliest_idx" ON "events"("category", "earliest");

-- The rollups, re-keyed: by the month of the earliest possible start (participants), and of
-- both ends (events: a month's bucket counts an event only when its whole window is that month).
TRUNCATE event_month_rollups;
ALTER TABLE "event_month_rollups" DROP CONSTRAINT "event_month_rollups_pkey",
ADD COLUMN "last_month" TIMESTAMP(3) NOT NULL,
ADD CONSTRAINT "event_month_rollups_pkey" PRIMARY KEY ("root_location_id", "month", "last_month");
TRUNCATE participant_month_rollups;

-- Adds (sign 1) or subtracts (sign -1) the (event, participant) pairs given, each with its
-- event's location, earliest start and deaths (see the participant_month_rollups migration for
-- the lock every rollup writer takes).
CREATE FUNCTION timeline_rollup_apply(
  event_ids integer[], participant_ids integer[], location_ids integer[], starts timestamptz[], deaths integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  WITH pairs AS (
    SELECT * FROM unnest(event_ids, participant_ids, location_ids, starts, deaths, signs)
      AS p(event_id, participant_id, location_id, started, died, sign)
    WHERE p.location_id IS NOT NULL
  ), roots AS (
    SELECT * FROM timeline_location_roots(ARRAY(SELECT DISTINCT location_id FROM pairs))
  ), deltas AS (
    SELECT r.root_id, date_trunc('month', p.started AT TIME ZONE 'UTC') AS month, p.participant_id,
           sum(p.sign)::int AS events, sum(p.sign * coalesce(p.died, 0))::bigint AS fatalities
    FROM pairs p JOIN roots r ON r.location_id = p.location_id
    GROUP BY 1, 2, 3
    HAVING sum(p.sign) <> 0 OR sum(p.sign * coalesce(p.died, 0)) <> 0
  )
  INSERT INTO participant_month_rollups AS t (root_location_id, month, participant_id, events, fatalities)
  SELECT root_id, month, participant_id, events, fatalities FROM deltas ORDER BY 1, 2, 3
  ON CONFLICT (root_location_id, month, participant_id) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities;
END
$$;

CREATE FUNCTION timeline_rollup_participants_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(a.event_id), array_agg(a.participant_id), array_agg(e.location_id),
                                array_agg(e.earliest), array_agg(e.fatalities), array_agg(1))
  FROM (SELECT event_id, participant_id, count(*) AS added FROM added_rows GROUP BY 1, 2) a
  JOIN events e ON e.id = a.event_id
  WHERE a.added = (SELECT count(*) FROM event_participants ep WHERE ep.event_id = a.event_id AND ep.participant_id = a.participant_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_added AFTER INSERT ON event_participants
  REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_participants_added();

CREATE FUNCTION timeline_rollup_participants_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(r.event_id), array_agg(r.participant_id), array_agg(e.location_id),
                                array_agg(e.earliest), array_agg(e.fatalities), array_agg(-1))
  FROM (SELECT DISTINCT event_id, participant_id FROM removed_rows) r
  JOIN events e ON e.id = r.event_id
  WHERE NOT EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = r.event_id AND ep.participant_id = r.participant_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_removed AFTER DELETE ON event_participants
  REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_participants_removed();

CREATE FUNCTION timeline_rollup_events_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(c.event_id), array_agg(c.participant_id), array_agg(c.location_id),
                                array_agg(c.earliest), array_agg(c.fatalities), array_agg(c.sign))
  FROM (
    SELECT DISTINCT o.id AS event_id, ep.participant_id, o.location_id, o.earliest, o.fatalities, -1 AS sign
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN event_participants ep ON ep.event_id = o.id
    WHERE (o.location_id, date_trunc('month', o.earliest AT TIME ZONE 'UTC'), o.fatalities)
          IS DISTINCT FROM (n.location_id, date_trunc('month', n.earliest AT TIME ZONE 'UTC'), n.fatalities)
    UNION ALL
    SELECT DISTINCT n.id, ep.participant_id, n.location_id, n.earliest, n.fatalities, 1
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN event_participants ep ON ep.event_id = n.id
    WHERE (o.location_id, date_trunc('month', o.earliest AT TIME ZONE 'UTC'), o.fatalities)
          IS DISTINCT FROM (n.location_id, date_trunc('month', n.earliest AT TIME ZONE 'UTC'), n.fatalities)
  ) c;
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_event_changed AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_events_changed();

CREATE FUNCTION timeline_rollup_event_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(OLD.id), array_agg(p.participant_id), array_agg(OLD.location_id),
                                array_agg(OLD.earliest), array_agg(OLD.fatalities), array_agg(-1))
  FROM (SELECT DISTINCT participant_id FROM event_participants WHERE event_id = OLD.id) p;
  RETURN OLD;
END
$$;
CREATE TRIGGER participant_month_rollups_event_deleted BEFORE DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION timeline_rollup_event_deleted();

-- Adds or subtracts events, each with its location, window and tolls.
CREATE FUNCTION timeline_event_rollup_apply(
  location_ids integer[], firsts timestamptz[], lasts timestamptz[], deaths integer[], hurt integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  WITH changed AS (
    SELECT * FROM unnest(location_ids, firsts, lasts, deaths, hurt, signs) AS c(location_id, earliest, latest, died, injured, sign)
    WHERE c.location_id IS NOT NULL
  ), roots AS (
    SELECT * FROM timeline_location_roots(ARRAY(SELECT DISTINCT location_id FROM changed))
  ), deltas AS (
    SELECT r.root_id, date_trunc('month', c.earliest AT TIME ZONE 'UTC') AS month,
           date_trunc('month', c.latest AT TIME ZONE 'UTC') AS last_month, sum(c.sign)::int AS events,
           sum(c.sign * coalesce(c.died, 0))::bigint AS fatalities, sum(c.sign * coalesce(c.injured, 0))::bigint AS injured
    FROM changed c JOIN roots r ON r.location_id = c.location_id
    GROUP BY 1, 2, 3
  )
  INSERT INTO event_month_rollups AS t (root_location_id, month, last_month, events, fatalities, injured)
  SELECT root_id, month, last_month, events, fatalities, injured FROM deltas
  WHERE events <> 0 OR fatalities <> 0 OR injured <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (root_location_id, month, last_month) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities, injured = t.injured + excluded.injured;
END
$$;

CREATE FUNCTION timeline_event_rollup_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_event_rollup_apply(array_agg(location_id), array_agg(earliest), array_agg(latest),
                                      array_agg(fatalities), array_agg(injured), array_agg(1))
  FROM new_rows;
  RETURN NULL;
END
$$;
CREATE TRIGGER event_month_rollups_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_rollup_inserted();

CREATE FUNCTION timeline_event_rollup_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_event_rollup_apply(array_agg(location_id), array_agg(earliest), array_agg(latest),
                                      array_agg(fatalities), array_agg(injured), array_agg(-1))
  FROM old_rows;
  RETURN NULL;
END
$$;
CREATE TRIGGER event_month_rollups_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_rollup_deleted();

CREATE FUNCTION timeline_event_rollup_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_event_rollup_apply(array_agg(c.location_id), array_agg(c.earliest), array_agg(c.latest),
                                      array_agg(c.fatalities), array_agg(c.injured), array_agg(c.sign))
  FROM (
    SELECT o.location_id, o.earliest, o.latest, o.fatalities, o.injured, -1 AS sign
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.earliest, o.latest, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.earliest, n.latest, n.fatalities, n.injured)
    UNION ALL
    SELECT n.location_id, n.earliest, n.latest, n.fatalities, n.injured, 1
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.earliest, o.latest, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.earliest, n.latest, n.fatalities, n.injured)
  ) c;
  RETURN NULL;
END
$$;
CREATE TRIGGER event_month_rollups_updated AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_rollup_updated();

-- Both rollups of the roots given, computed afresh from the events of their subtrees.
CREATE FUNCTION timeline_rollup_rebuild(root_ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  DELETE FROM participant_month_rollups WHERE root_location_id = ANY(root_ids);
  DELETE FROM event_month_rollups WHERE root_location_id = ANY(root_ids);
  WITH RECURSIVE subtree(id, root_id, depth) AS (
    SELECT id, id, 0 FROM locations WHERE id = ANY(root_ids)
    UNION ALL
    SELECT l.id, s.root_id, s.depth + 1 FROM locations l JOIN subtree s ON l.parent_id = s.id WHERE s.depth < 16
  )
  INSERT INTO event_month_rollups (root_location_id, month, last_month, events, fatalities, injured)
  SELECT s.root_id, date_trunc('month', e.earliest AT TIME ZONE 'UTC'), date_trunc('month', e.latest AT TIME ZONE 'UTC'),
         count(*)::int, coalesce(sum(e.fatalities), 0)::bigint, coalesce(sum(e.injured), 0)::bigint
  FROM subtree s JOIN events e ON e.location_id = s.id
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
  WITH RECURSIVE subtree(id, root_id, depth) AS (
    SELECT id, id, 0 FROM locations WHERE id = ANY(root_ids)
    UNION ALL
    SELECT l.id, s.root_id, s.depth + 1 FROM locations l JOIN subtree s ON l.parent_id = s.id WHERE s.depth < 16
  )
  INSERT INTO participant_month_rollups (root_location_id, month, participant_id, events, fatalities)
  SELECT s.root_id, date_trunc('month', e.earliest AT TIME ZONE 'UTC'), p.participant_id,
         count(*)::int, coalesce(sum(e.fatalities), 0)::bigint
  FROM subtree s JOIN events e ON e.location_id = s.id
  JOIN LATERAL (SELECT DISTINCT participant_id FROM event_participants ep WHERE ep.event_id = e.id) p ON true
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
END
$$;

CREATE FUNCTION timeline_rollup_locations_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  affected integer[];
BEGIN
  SELECT array_agg(DISTINCT root) INTO affected FROM (
    SELECT (SELECT root_id FROM timeline_location_roots(ARRAY[o.parent_id])) AS root
    FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.parent_id IS DISTINCT FROM n.parent_id AND o.parent_id IS NOT NULL
    UNION ALL
    SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.parent_id IS DISTINCT FROM n.parent_id AND o.parent_id IS NULL
    UNION ALL
    SELECT (SELECT root_id FROM timeline_location_roots(ARRAY[n.id]))
    FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.parent_id IS DISTINCT FROM n.parent_id
  ) moved WHERE root IS NOT NULL;
  IF affected IS NOT NULL THEN
    PERFORM timeline_rollup_rebuild(affected);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_locations_moved AFTER UPDATE ON locations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_locations_moved();

SELECT timeline_rollup_rebuild(ARRAY(SELECT id FROM locations WHERE parent_id IS NULL));

ANALYZE events;
ANALYZE event_month_rollups;
ANALYZE participant_month_rollups;
