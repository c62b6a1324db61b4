-- Single updates, cheaper (#14). An update that changes none of an event's participants, sources,
-- causes or claims captured its whole state before writing: the relations' five lookups, 0.4 ms of
-- index probes on this machine, to compare lists the write cannot change. It now captures the
-- event's own state (its row and its place's slug) with the row lock, and the recording completes
-- it with the relations of the state after, which are the same.

-- What the event's row holds of its state; the place's slug given, so that the function stays a
-- bare expression Postgres inlines into the queries that call it (a subquery would stop that).
CREATE FUNCTION timeline_event_own_state(e events, location_slug text) RETURNS jsonb LANGUAGE sql STABLE AS $$
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
    'location', location_slug,
    'locationId', e.location_id
  )
$$;

-- timeline_event_states, its query unchanged but for the own state, now defined once (above).
CREATE OR REPLACE FUNCTION timeline_event_states(event_ids integer[]) RETURNS TABLE (id integer, state jsonb) LANGUAGE plpgsql STABLE
-- As before: compiling a statement that reads a few thousand rows by key never pays.
SET jit = off AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT e.id, timeline_event_own_state(e, (SELECT l.slug FROM locations l WHERE l.id = e.location_id)) || jsonb_build_object(
    'participants', coalesce(p.list, '[]'),
    'sources', coalesce(s.list, '[]'),
    'causes', coalesce(c.list, '[]'),
    'claims', coalesce(cl.list, '[]')
  )
  FROM events e
  LEFT JOIN (
    SELECT x.event_id, jsonb_agg(jsonb_build_object('role', x.role, 'participant', x.slug, 'participantId', x.participant_id) ORDER BY x.slug, x.role) AS list
    FROM (SELECT ep.event_id, ep.role, ep.participant_id, (SELECT t.slug FROM participants t WHERE t.id = ep.participant_id) AS slug
          FROM event_participants ep WHERE ep.event_id = ANY(event_ids) OFFSET 0) x
    GROUP BY x.event_id
  ) p ON p.event_id = e.id
  LEFT JOIN (
    SELECT x.event_id, jsonb_agg(x.url ORDER BY x.url) AS list
    FROM (SELECT es.event_id, (SELECT t.url FROM sources t WHERE t.id = es.source_id) AS url
          FROM event_sources es WHERE es.event_id = ANY(event_ids) OFFSET 0) x
    GROUP BY x.event_id
  ) s ON s.event_id = e.id
  LEFT JOIN (
    SELECT l.effect_id, jsonb_agg(l.cause_id ORDER BY l.cause_id) AS list
    FROM event_links l WHERE l.effect_id = ANY(event_ids) GROUP BY l.effect_id
  ) c ON c.effect_id = e.id
  LEFT JOIN (
    SELECT x.event_id, jsonb_agg(jsonb_build_object(
             'claimant', (SELECT t.slug FROM participants t WHERE t.id = x.claimant_id), 'statement', x.statement,
             'deaths', timeline_toll_state(x.deaths_best, x.deaths_low, x.deaths_high, x.deaths_qualifier, x.deaths_text),
             'injuries', timeline_toll_state(x.injuries_best, x.injuries_low, x.injuries_high, x.injuries_qualifier, x.injuries_text),
             'source', (SELECT t.url FROM sources t WHERE t.id = x.source_id)) ORDER BY x.position) AS list
    FROM event_claims x WHERE x.event_id = ANY(event_ids) GROUP BY x.event_id
  ) cl ON cl.event_id = e.id
  WHERE e.id = ANY(event_ids);
END
$fn$;

-- timeline_record_changes as before, but that a captured state may lack what the write did not
-- change: `after || before` is the whole state before.
CREATE OR REPLACE FUNCTION timeline_record_changes(p_ids integer[], p_befores jsonb[], p_versions integer[], p_moved jsonb[], p_source integer)
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
                -- A state captured in part (an update's own state) takes the rest from the state after.
                ELSE timeline_field_changes(coalesce(a.state || x.before, a.state || jsonb_build_object('timeWindow', x.moved_from)), a.state) END AS fields,
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

-- The entries recorded, then the event read back in the same statement (an update used to read it
-- in a statement of its own): the function's second query sees what its first wrote.
CREATE FUNCTION timeline_record_changes_and_read(p_ids integer[], p_befores jsonb[], p_versions integer[], p_moved jsonb[], p_source integer, p_read integer)
RETURNS SETOF events LANGUAGE plpgsql SET jit = off AS $fn$
BEGIN
  PERFORM 1 FROM timeline_record_changes(p_ids, p_befores, p_versions, p_moved, p_source);
  RETURN QUERY SELECT * FROM events WHERE id = p_read;
END
$fn$;

-- Plans kept. PL/pgSQL prepares a function's queries once per connection, but plans each execution
-- anew for its parameters while that plan looks cheaper than the generic one; with an array of ids
-- the generic plan's estimates always look dearer, so the recording was planned on every call,
-- with the state function it calls: 0.5 ms of a single state's 0.58 (0.07 with the plan kept),
-- half of an update's recording. A function's SET holds for what it calls, so the states read
-- through the recording keep their plans too. timeline_event_states called on its own (a bulk
-- load's CREATED entries, thousands of ids a statement) is still planned for its ids.
ALTER FUNCTION timeline_record_changes(integer[], jsonb[], integer[], jsonb[], integer) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION timeline_record_changes_and_read(integer[], jsonb[], integer[], jsonb[], integer, integer) SET plan_cache_mode = force_generic_plan;
-- timeline_event_state(id), one event's state (an update that replaces relations captures it, a
-- delete keeps it as the tombstone): one id, one plan.
ALTER FUNCTION timeline_event_state(integer) SET plan_cache_mode = force_generic_plan;

-- What an update reads of its event, with the row lock and its own state, as a function: as a
-- statement of its own it was planned on every update (0.4-0.7 ms, the inlined state expressions
-- mostly), for a lookup by primary key.
CREATE FUNCTION timeline_event_for_update(p_id integer)
RETURNS TABLE (id integer, occurred_at timestamptz, "precision" "DatePrecision", status "EventStatus", deaths_known boolean,
               injuries_known boolean, deaths_from_claims boolean, injuries_from_claims boolean, version integer, own_state jsonb)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT e.id, e.occurred_at::timestamptz, e.precision, e.status, e.fatalities IS NOT NULL, e.injured IS NOT NULL,
         e.deaths_from_claims, e.injuries_from_claims, e.version,
         timeline_event_own_state(e, (SELECT l.slug FROM locations l WHERE l.id = e.location_id))
  FROM events e WHERE e.id = p_id
  FOR UPDATE OF e;
END
$fn$;
