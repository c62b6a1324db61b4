-- A transaction may defer its rollup deltas to its end (the bulk load does). Every rollup writer
-- takes one advisory lock (migration participant_month_rollups: writers sharing rows queued
-- rather than deadlocked) and keeps it until it commits; the bulk load's first statement took it,
-- so its two batches in flight ran one after the other, whatever else they did. With
-- timeline.defer_rollups on for the transaction, the rollup functions set their deltas aside
-- here, keyed by the transaction, and timeline_rollup_flush() applies them all at the end:
-- the lock is held for one statement and the commit. The deltas are the ones the triggers
-- compute, when they compute them, so the sums stay exact whatever the transaction does after.
CREATE UNLOGGED TABLE rollup_pending_participants (
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  root_location_id integer NOT NULL,
  month timestamp(3) NOT NULL,
  participant_id integer NOT NULL,
  events integer NOT NULL,
  fatalities bigint NOT NULL
);
CREATE INDEX rollup_pending_participants_txid_idx ON rollup_pending_participants (txid);
CREATE UNLOGGED TABLE rollup_pending_events (
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  root_location_id integer NOT NULL,
  month timestamp(3) NOT NULL,
  last_month timestamp(3) NOT NULL,
  events integer NOT NULL,
  fatalities bigint NOT NULL,
  injured bigint NOT NULL
);
CREATE INDEX rollup_pending_events_txid_idx ON rollup_pending_events (txid);

-- The deltas of (event, participant) pairs added (sign 1) or removed (-1), by root location,
-- month of the earliest start and participant: what timeline_rollup_apply adds.
CREATE FUNCTION timeline_rollup_participant_deltas(
  event_ids integer[], participant_ids integer[], location_ids integer[], starts timestamptz[], deaths integer[], signs integer[]
) RETURNS TABLE (root_id integer, month timestamp, participant_id integer, events integer, fatalities bigint) LANGUAGE sql STABLE AS $$
  WITH pairs AS (
    SELECT * FROM unnest(event_ids, participant_ids, location_ids, starts, deaths, signs)
      AS p(event_id, participant_id, location_id, started, died, sign)
    WHERE p.location_id IS NOT NULL
  ), roots AS (
    SELECT * FROM timeline_location_roots(ARRAY(SELECT DISTINCT location_id FROM pairs))
  )
  SELECT r.root_id, date_trunc('month', p.started AT TIME ZONE 'UTC'), p.participant_id,
         sum(p.sign)::int, sum(p.sign * coalesce(p.died, 0))::bigint
  FROM pairs p JOIN roots r ON r.location_id = p.location_id
  GROUP BY 1, 2, 3
  HAVING sum(p.sign) <> 0 OR sum(p.sign * coalesce(p.died, 0)) <> 0
$$;

CREATE OR REPLACE FUNCTION timeline_rollup_apply(
  event_ids integer[], participant_ids integer[], location_ids integer[], starts timestamptz[], deaths integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('timeline.defer_rollups', true), '') = 'on' THEN
    INSERT INTO rollup_pending_participants (root_location_id, month, participant_id, events, fatalities)
    SELECT * FROM timeline_rollup_participant_deltas(event_ids, participant_ids, location_ids, starts, deaths, signs);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  INSERT INTO participant_month_rollups AS t (root_location_id, month, participant_id, events, fatalities)
  SELECT * FROM timeline_rollup_participant_deltas(event_ids, participant_ids, location_ids, starts, deaths, signs) ORDER BY 1, 2, 3
  ON CONFLICT (root_location_id, month, participant_id) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities;
END
$$;

-- The deltas of events added (sign 1) or removed (-1), by root location and the months of both
-- ends of their windows: what timeline_event_rollup_apply adds.
CREATE FUNCTION timeline_event_rollup_deltas(
  location_ids integer[], firsts timestamptz[], lasts timestamptz[], deaths integer[], hurt integer[], signs integer[]
) RETURNS TABLE (root_id integer, month timestamp, last_month timestamp, events integer, fatalities bigint, injured bigint) LANGUAGE sql STABLE AS $$
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
  SELECT * FROM deltas WHERE events <> 0 OR fatalities <> 0 OR injured <> 0
$$;

CREATE OR REPLACE FUNCTION timeline_event_rollup_apply(
  location_ids integer[], firsts timestamptz[], lasts timestamptz[], deaths integer[], hurt integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('timeline.defer_rollups', true), '') = 'on' THEN
    INSERT INTO rollup_pending_events (root_location_id, month, last_month, events, fatalities, injured)
    SELECT * FROM timeline_event_rollup_deltas(location_ids, firsts, lasts, deaths, hurt, signs);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  INSERT INTO event_month_rollups AS t (root_location_id, month, last_month, events, fatalities, injured)
  SELECT * FROM timeline_event_rollup_deltas(location_ids, firsts, lasts, deaths, hurt, signs) ORDER BY 1, 2, 3
  ON CONFLICT (root_location_id, month, last_month) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities, injured = t.injured + excluded.injured;
END
$$;

-- Applies the deltas this transaction set aside, summed, in key order, under the rollup lock.
CREATE FUNCTION timeline_rollup_flush() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  WITH taken AS (
    DELETE FROM rollup_pending_events WHERE txid = pg_current_xact_id() RETURNING *
  )
  INSERT INTO event_month_rollups AS t (root_location_id, month, last_month, events, fatalities, injured)
  SELECT root_location_id, month, last_month, sum(events)::int, sum(fatalities)::bigint, sum(injured)::bigint
  FROM taken GROUP BY 1, 2, 3
  HAVING sum(events) <> 0 OR sum(fatalities) <> 0 OR sum(injured) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (root_location_id, month, last_month) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities, injured = t.injured + excluded.injured;
  WITH taken AS (
    DELETE FROM rollup_pending_participants WHERE txid = pg_current_xact_id() RETURNING *
  )
  INSERT INTO participant_month_rollups AS t (root_location_id, month, participant_id, events, fatalities)
  SELECT root_location_id, month, participant_id, sum(events)::int, sum(fatalities)::bigint
  FROM taken GROUP BY 1, 2, 3
  HAVING sum(events) <> 0 OR sum(fatalities) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (root_location_id, month, participant_id) DO UPDATE
    SET events = t.events + excluded.events, fatalities = t.fatalities + excluded.fatalities;
END
$$;

-- Declared IMMUTABLE, these two call stable functions (to_char, jsonb_build_object), so the
-- planner would not inline them: every state paid two function calls per toll and three per
-- instant (600,000 calls in a 100,000-event load, a second of it). Declared for what they are,
-- they are inlined into timeline_event_states.
ALTER FUNCTION timeline_instant(timestamptz) STABLE;
ALTER FUNCTION timeline_toll_state(integer, integer, integer, "TollQualifier", text) STABLE;
