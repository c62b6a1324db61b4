-- A write's UPDATED and DELETED entries (migration changes_recorded_in_sql) through a function:
-- sent as one statement, its five-CTE query was parsed and planned on every write (0.7 ms of a
-- 9 ms update, in the server's statement log); PL/pgSQL prepares it once per connection.
-- p_befores are the states captured before the write (null for an event that was not), p_moved
-- the windows of events whose window alone moved; the entries come back in the order of p_ids.
CREATE FUNCTION timeline_record_changes(p_ids integer[], p_befores jsonb[], p_versions integer[], p_moved jsonb[], p_source integer)
RETURNS TABLE (kind text, event_id integer) LANGUAGE plpgsql
-- As timeline_event_states: compiling a statement that reads rows by key never pays.
SET jit = off AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(p_ids, p_befores, p_versions, p_moved) WITH ORDINALITY AS x(event_id, before, before_version, moved_from, n)
  ), now_state AS (
    SELECT e.id, s.state, e.version FROM events e JOIN timeline_event_states(p_ids) s ON s.id = e.id
  ), entries AS (
    SELECT x.n, x.event_id,
           CASE WHEN a.id IS NULL THEN 'DELETED' WHEN x.before IS NULL AND x.moved_from IS NULL THEN 'CREATED' ELSE 'UPDATED' END AS kind,
           CASE WHEN a.id IS NULL OR (x.before IS NULL AND x.moved_from IS NULL) THEN '[]'::jsonb
                ELSE timeline_field_changes(coalesce(x.before, a.state || jsonb_build_object('timeWindow', x.moved_from)), a.state) END AS fields,
           coalesce(a.state, x.before) AS state,
           CASE WHEN a.id IS NULL THEN x.before_version + 1 ELSE a.version END AS version
    FROM input x LEFT JOIN now_state a ON a.id = x.event_id
    WHERE a.id IS NOT NULL OR x.before IS NOT NULL
  ), kept AS (
    SELECT * FROM entries WHERE entries.kind <> 'UPDATED' OR entries.fields <> '[]'::jsonb
  ), bumped AS (
    UPDATE events e SET version = e.version + 1, updated_at = now()
    WHERE e.id = ANY(ARRAY(SELECT k.event_id FROM kept k WHERE k.kind = 'UPDATED')) RETURNING e.id, e.version
  ), written AS (
    INSERT INTO event_changes (kind, event_id, version, at, fields, state, source_id)
    SELECT k.kind::"ChangeKind", k.event_id, coalesce(b.version, k.version),
           -- A creation is dated as the event's createdAt, a change as its updatedAt (now()).
           CASE WHEN k.kind = 'CREATED' THEN (SELECT e.created_at FROM events e WHERE e.id = k.event_id) ELSE now() END,
           k.fields, k.state, p_source
    FROM kept k LEFT JOIN bumped b ON b.id = k.event_id ORDER BY k.n
    RETURNING event_changes.kind::text AS kind, event_changes.event_id AS event_id, event_changes.seq AS seq
  )
  SELECT w.kind, w.event_id FROM written w ORDER BY w.seq;
END
$fn$;
