-- An update or a delete that waited for its event's row lock read the event's state with the
-- snapshot its statement took when it started, before the wait (READ COMMITTED takes one per
-- statement): what the lock's holder committed meanwhile was missing from the update's "before"
-- values and from the delete's tombstone, and the delete recorded the version the holder's write
-- had already taken. Both now take the lock in one statement and read the event in the next,
-- inside one function: each statement of a VOLATILE function takes a snapshot of its own, so the
-- second sees whatever committed while the first waited. Still one statement from the service.

DROP FUNCTION timeline_event_for_update(integer);

-- p_whole: the whole state (an update that replaces relations) or only the event's own columns.
CREATE FUNCTION timeline_event_for_update(p_id integer, p_whole boolean)
RETURNS TABLE (id integer, occurred_at timestamptz, "precision" "DatePrecision", status "EventStatus", deaths_known boolean,
               injuries_known boolean, deaths_from_claims boolean, injuries_from_claims boolean, version integer, state jsonb)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
BEGIN
  PERFORM 1 FROM events e WHERE e.id = p_id FOR UPDATE OF e;
  RETURN QUERY
  SELECT e.id, e.occurred_at::timestamptz, e.precision, e.status, e.fatalities IS NOT NULL, e.injured IS NOT NULL,
         e.deaths_from_claims, e.injuries_from_claims, e.version,
         CASE WHEN p_whole THEN timeline_event_state(e.id)
              ELSE timeline_event_own_state(e, (SELECT l.slug FROM locations l WHERE l.id = e.location_id)) END
  FROM events e WHERE e.id = p_id;
END
$fn$;

-- Deletes an event with its DELETED entry (its last state, the tombstone, at its last version + 1)
-- and answers whether it existed and which events it was causally linked to (their windows may
-- move now).
CREATE FUNCTION timeline_delete_event(p_id integer)
RETURNS TABLE (deleted boolean, neighbours integer[])
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
BEGIN
  PERFORM 1 FROM events e WHERE e.id = p_id FOR UPDATE OF e;
  RETURN QUERY
  WITH last AS (
    SELECT e.version, timeline_event_state(e.id) AS state FROM events e WHERE e.id = p_id
  ), gone AS (
    DELETE FROM events e WHERE e.id = p_id RETURNING e.id
  ), logged AS (
    INSERT INTO event_changes (kind, event_id, version, at, fields, state)
    SELECT 'DELETED', g.id, l.version + 1, now(), '[]'::jsonb, l.state FROM gone g CROSS JOIN last l
    RETURNING event_id
  )
  SELECT EXISTS (SELECT 1 FROM logged),
         ARRAY(SELECT k.cause_id FROM event_links k WHERE k.effect_id = p_id
               UNION SELECT k.effect_id FROM event_links k WHERE k.cause_id = p_id);
END
$fn$;
