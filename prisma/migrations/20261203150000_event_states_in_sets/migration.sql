-- The change log's states for many events in one statement. timeline_event_state ran its
-- statement once per event (each with eight subqueries), so a bulk load's batch of 5,000 new
-- events spent 0.75 s on its CREATED entries, as long as inserting the events themselves. Here the
-- related rows are aggregated per event, once for the whole set: the events by primary key, their
-- participants, sources, causes and claims through their event_id indexes, names and urls looked
-- up by key (scalar subqueries: hash joins over every participant and source lost on large,
-- unanalyzed tables). timeline_event_state is now this for one event: one definition.
CREATE FUNCTION timeline_event_states(event_ids integer[]) RETURNS TABLE (id integer, state jsonb) LANGUAGE sql STABLE AS $$
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
  WHERE e.id = ANY(event_ids)
$$;
-- As timeline_event_state: compiling a statement that reads a few thousand rows by key never pays.
ALTER FUNCTION timeline_event_states(integer[]) SET jit = off;

CREATE OR REPLACE FUNCTION timeline_event_state(event_id integer) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT s.state FROM timeline_event_states(ARRAY[event_id]) s
$$;
