-- Hand-written: writers of the rollups take one transaction-level advisory lock first.
-- Upserting a rollup row locks it until commit, and a transaction that writes several events
-- (an article, a bulk batch) locks country months in the order of its events: two such writers
-- took the same rows in opposite orders and deadlocked (tests/write-conflicts.test.ts). With the
-- lock, the rollup part of concurrent writes runs one transaction at a time; deadlocks that
-- remain (the lock meeting a row lock taken earlier) are rare and run again
-- (inWriteTransaction, src/db/transactions.ts).

CREATE OR REPLACE FUNCTION timeline_rollup_apply(
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

CREATE OR REPLACE FUNCTION timeline_event_rollup_apply(
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
