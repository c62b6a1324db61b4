-- timeline_event_states in PL/pgSQL, the same query: as a SQL function with a SET clause it could
-- not be inlined, so its five-join query was parsed and planned on every call, twice a write (the
-- states before and after it, 0.9 ms each in the server's statement log); PL/pgSQL prepares it
-- once per connection. What it returns is unchanged.
CREATE OR REPLACE FUNCTION timeline_event_states(event_ids integer[]) RETURNS TABLE (id integer, state jsonb) LANGUAGE plpgsql STABLE
-- As before: compiling a statement that reads a few thousand rows by key never pays.
SET jit = off AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT e.id, jsonb_build_object(
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

-- The same for the fields that differ between two states (timeline_record_changes calls it once
-- per recorded event): with an aggregate it could not be inlined either, so its query was planned
-- on every write. The query is unchanged.
CREATE OR REPLACE FUNCTION timeline_field_changes(before jsonb, after jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN (
    SELECT coalesce(jsonb_agg(jsonb_build_object('field', b.field, 'before', b.value, 'after', a.value) ORDER BY b.n), '[]'::jsonb)
    FROM timeline_state_fields($1) b JOIN timeline_state_fields($2) a ON a.n = b.n
    WHERE b.value IS DISTINCT FROM a.value
  );
END
$fn$;
