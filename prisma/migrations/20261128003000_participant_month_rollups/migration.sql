-- Hand-written: a rollup for the dashboard's top participants (src/stats/stats.service.ts).
-- Counting the participants of a country's events over five years reads every one of those
-- events' participant rows (35,000 index probes for 14,000 events at 1M events: ~80 ms, most of
-- a dashboard request). This table holds, per root location (a location without a parent: a
-- country), UTC month and participant, the number of distinct events there involving the
-- participant (in any role) and their deaths. Triggers keep it in step with every write, in
-- the writing transaction, by adding and subtracting deltas (upserts on its rows, so that
-- concurrent writers serialise on the rows they share instead of losing updates).

CREATE TABLE "participant_month_rollups" (
  "root_location_id" INTEGER NOT NULL,
  "month" TIMESTAMP(3) NOT NULL,
  "participant_id" INTEGER NOT NULL,
  "events" INTEGER NOT NULL,
  "fatalities" BIGINT NOT NULL,
  CONSTRAINT "participant_month_rollups_pkey" PRIMARY KEY ("root_location_id", "month", "participant_id")
);

-- The root of each location: walks up the hierarchy (16 levels at most, as everywhere else).
CREATE FUNCTION timeline_location_roots(location_ids integer[])
RETURNS TABLE (location_id integer, root_id integer) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up(origin, id, parent_id, depth) AS (
    SELECT l.id, l.id, l.parent_id, 0 FROM locations l WHERE l.id = ANY(location_ids)
    UNION ALL
    SELECT up.origin, l.id, l.parent_id, up.depth + 1 FROM locations l JOIN up ON l.id = up.parent_id
    WHERE up.depth < 16
  )
  SELECT origin, id FROM up WHERE parent_id IS NULL
$$;

-- Adds (sign 1) or subtracts (sign -1) the (event, participant) pairs given, each with its
-- event's location, start and deaths. A row that falls to zero events stays (readers skip it):
-- finding and deleting it would cost every write a second statement.
--
-- Every writer of the rollups first takes one transaction-level advisory lock. Upserting a
-- rollup row locks it until commit, and a transaction that writes several events (an article, a
-- bulk batch) reaches country months in the order of its events: two such writers took the same
-- rows in opposite orders and deadlocked (tests/write-conflicts.test.ts). With the lock the
-- rollup part of concurrent writes runs one transaction at a time; the deadlocks that remain
-- (the lock meeting a row lock taken earlier) are rare and run again (inWriteTransaction,
-- src/db/transactions.ts).
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

-- New participant rows: a pair counts once however many roles it has, so only pairs that had
-- no row before this statement are added.
CREATE FUNCTION timeline_rollup_participants_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(a.event_id), array_agg(a.participant_id), array_agg(e.location_id),
                                array_agg(e.occurred_at), array_agg(e.fatalities), array_agg(1))
  FROM (SELECT event_id, participant_id, count(*) AS added FROM added_rows GROUP BY 1, 2) a
  JOIN events e ON e.id = a.event_id
  WHERE a.added = (SELECT count(*) FROM event_participants ep WHERE ep.event_id = a.event_id AND ep.participant_id = a.participant_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_added AFTER INSERT ON event_participants
  REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_participants_added();

-- Removed participant rows: pairs with no row left are subtracted. When the event itself is
-- being deleted it is gone by now, and its pairs were subtracted before (event_deleted).
CREATE FUNCTION timeline_rollup_participants_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(r.event_id), array_agg(r.participant_id), array_agg(e.location_id),
                                array_agg(e.occurred_at), array_agg(e.fatalities), array_agg(-1))
  FROM (SELECT DISTINCT event_id, participant_id FROM removed_rows) r
  JOIN events e ON e.id = r.event_id
  WHERE NOT EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = r.event_id AND ep.participant_id = r.participant_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_removed AFTER DELETE ON event_participants
  REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_participants_removed();

-- An event's place, start or deaths changed: its pairs move from the old key to the new one.
CREATE FUNCTION timeline_rollup_events_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(c.event_id), array_agg(c.participant_id), array_agg(c.location_id),
                                array_agg(c.occurred_at), array_agg(c.fatalities), array_agg(c.sign))
  FROM (
    SELECT DISTINCT o.id AS event_id, ep.participant_id, o.location_id, o.occurred_at, o.fatalities, -1 AS sign
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN event_participants ep ON ep.event_id = o.id
    WHERE (o.location_id, o.occurred_at, o.fatalities) IS DISTINCT FROM (n.location_id, n.occurred_at, n.fatalities)
    UNION ALL
    SELECT DISTINCT n.id, ep.participant_id, n.location_id, n.occurred_at, n.fatalities, 1
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN event_participants ep ON ep.event_id = n.id
    WHERE (o.location_id, o.occurred_at, o.fatalities) IS DISTINCT FROM (n.location_id, n.occurred_at, n.fatalities)
  ) c;
  RETURN NULL;
END
$$;
CREATE TRIGGER participant_month_rollups_event_changed AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_rollup_events_changed();

-- A deleted event: subtracted while its participant rows still exist (the cascade removes them
-- after this).
CREATE FUNCTION timeline_rollup_event_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_rollup_apply(array_agg(OLD.id), array_agg(p.participant_id), array_agg(OLD.location_id),
                                array_agg(OLD.occurred_at), array_agg(OLD.fatalities), array_agg(-1))
  FROM (SELECT DISTINCT participant_id FROM event_participants WHERE event_id = OLD.id) p;
  RETURN OLD;
END
$$;
CREATE TRIGGER participant_month_rollups_event_deleted BEFORE DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION timeline_rollup_event_deleted();

-- Rows of the roots given, computed afresh from the events of their subtrees (for a move in the
-- hierarchy, and to fill the table).
CREATE FUNCTION timeline_rollup_rebuild(root_ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('timeline_rollups'));
  DELETE FROM participant_month_rollups WHERE root_location_id = ANY(root_ids);
  WITH RECURSIVE subtree(id, root_id, depth) AS (
    SELECT id, id, 0 FROM locations WHERE id = ANY(root_ids)
    UNION ALL
    SELECT l.id, s.root_id, s.depth + 1 FROM locations l JOIN subtree s ON l.parent_id = s.id WHERE s.depth < 16
  )
  INSERT INTO participant_month_rollups (root_location_id, month, participant_id, events, fatalities)
  SELECT s.root_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), p.participant_id,
         count(*)::int, coalesce(sum(e.fatalities), 0)::bigint
  FROM subtree s
  JOIN events e ON e.location_id = s.id
  JOIN LATERAL (SELECT DISTINCT participant_id FROM event_participants ep WHERE ep.event_id = e.id) p ON true
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3;
END
$$;

-- A location moved in the hierarchy: the roots it left and joined are rebuilt. Moves are rare
-- (an editor correcting a place), and a root is a few hundred thousand events at most.
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

-- What is stored already.
SELECT timeline_rollup_rebuild(ARRAY(SELECT id FROM locations WHERE parent_id IS NULL));

-- Statistics for the planner: the table was just filled.
ANALYZE participant_month_rollups;
