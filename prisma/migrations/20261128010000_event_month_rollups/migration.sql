-- Hand-written: the dashboard's count, sums and monthly buckets for a country over whole years,
-- from one row per root location and UTC month instead of every event (same scheme as
-- participant_month_rollups: deltas upserted by triggers in the writing transaction).

CREATE TABLE "event_month_rollups" (
  "root_location_id" INTEGER NOT NULL,
  "month" TIMESTAMP(3) NOT NULL,
  "events" INTEGER NOT NULL,
  "fatalities" BIGINT NOT NULL,
  "injured" BIGINT NOT NULL,
  CONSTRAINT "event_month_rollups_pkey" PRIMARY KEY ("root_location_id", "month")
);

-- Adds (sign 1) or subtracts (sign -1) events, each with its location, start and tolls, under
-- the rollup writers' lock (see participant_month_rollups).
CREATE FUNCTION timeline_event_rollup_apply(
  location_ids integer[], starts timestamptz[], deaths integer[], hurt integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  WITH changed AS (
    SELECT * FROM unnest(location_ids, starts, deaths, hurt, signs) AS c(location_id, started, died, injured, sign)
    WHERE c.location_id IS NOT NULL
  ), roots AS (
    SELECT * FROM timeline_location_roots(ARRAY(SELECT DISTINCT location_id FROM changed))
  ), deltas AS (
    SELECT r.root_id, date_trunc('month', c.started AT TIME ZONE 'UTC') AS month, sum(c.sign)::int AS events,
           sum(c.sign * coalesce(c.died, 0))::bigint AS fatalities, sum(c.sign * coalesce(c.injured, 0))::bigint AS injured
    FROM changed c JOIN roots r ON r.location_id = c.location_id
    GROUP BY 1, 2
  )
  INSERT INTO event_month_rollups AS t (root_location_id, month, events, fatalities, injured)
  SELECT root_id, month, events, fatalities, injured FROM deltas
  WHERE events <> 0 OR fatalities <> 0 OR injured <> 0
  ORDER BY 1, 2
  ON CONFLICT (root_location_id, month) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities, injured = t.injured + excluded.injured;
END
$$;

CREATE FUNCTION timeline_event_rollup_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_event_rollup_apply(array_agg(location_id), array_agg(occurred_at), array_agg(fatalities), array_agg(injured), array_agg(1))
  FROM new_rows;
  RETURN NULL;
END
$$;
CREATE TRIGGER event_month_rollups_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_rollup_inserted();

CREATE FUNCTION timeline_event_rollup_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_event_rollup_apply(array_agg(location_id), array_agg(occurred_at), array_agg(fatalities), array_agg(injured), array_agg(-1))
  FROM old_rows;
  RETURN NULL;
END
$$;
CREATE TRIGGER event_month_rollups_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_rollup_deleted();

CREATE FUNCTION timeline_event_rollup_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_event_rollup_apply(array_agg(c.location_id), array_agg(c.occurred_at), array_agg(c.fatalities), array_agg(c.injured), array_agg(c.sign))
  FROM (
    SELECT o.location_id, o.occurred_at, o.fatalities, o.injured, -1 AS sign
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.occurred_at, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.occurred_at, n.fatalities, n.injured)
    UNION ALL
    SELECT n.location_id, n.occurred_at, n.fatalities, n.injured, 1
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.occurred_at, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.occurred_at, n.fatalities, n.injured)
  ) c;
  RETURN NULL;
END
$$;
CREATE TRIGGER event_month_rollups_updated AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_rollup_updated();

-- A move in the hierarchy rebuilds both rollups of the roots it touches.
CREATE OR REPLACE FUNCTION timeline_rollup_rebuild(root_ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  DELETE FROM participant_month_rollups WHERE root_location_id = ANY(root_ids);
  DELETE FROM event_month_rollups WHERE root_location_id = ANY(root_ids);
  WITH RECURSIVE subtree(id, root_id, depth) AS (
    SELECT id, id, 0 FROM locations WHERE id = ANY(root_ids)
    UNION ALL
    SELECT l.id, s.root_id, s.depth + 1 FROM locations l JOIN subtree s ON l.parent_id = s.id WHERE s.depth < 16
  )
  INSERT INTO event_month_rollups (root_location_id, month, events, fatalities, injured)
  SELECT s.root_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), count(*)::int,
         coalesce(sum(e.fatalities), 0)::bigint, coalesce(sum(e.injured), 0)::bigint
  FROM subtree s JOIN events e ON e.location_id = s.id
  GROUP BY 1, 2 ORDER BY 1, 2;
  WITH RECURSIVE subtree(id, root_id, depth) AS (
    SELECT id, id, 0 FROM locations WHERE id = ANY(root_ids)
    UNION ALL
    SELECT l.id, s.root_id, s.depth + 1 FROM locations l JOIN subtree s ON l.parent_id = s.id WHERE s.depth < 16
  )
  INSERT INTO participant_month_rollups (root_location_id, month, participant_id, events, fatalities)
  SELECT s.root_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), p.participant_id,
         count(*)::int, coalesce(sum(e.fatalities), 0)::bigint
  FROM subtree s JOIN events e ON e.location_id = s.id
  JOIN LATERAL (SELECT DISTINCT participant_id FROM event_participants ep WHERE ep.event_id = e.id) p ON true
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
END
$$;

-- What is stored already.
INSERT INTO event_month_rollups (root_location_id, month, events, fatalities, injured)
SELECT r.root_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), count(*)::int,
       coalesce(sum(e.fatalities), 0)::bigint, coalesce(sum(e.injured), 0)::bigint
FROM events e JOIN timeline_location_roots(ARRAY(SELECT id FROM locations)) r ON r.location_id = e.location_id
GROUP BY 1, 2 ORDER BY 1, 2;

ANALYZE event_month_rollups;
