-- timeline_event_state (migration change_log) looks every related row up by its key, in scalar
-- subqueries the planner cannot turn into joins: as joins (LATERAL ones too, which it
-- flattens), a bulk load's not yet analyzed tables made it hash every participant and source for
-- each event, 2 ms an event (a 5,000-event batch spent 10 s on its states).
CREATE OR REPLACE FUNCTION timeline_event_state(event_id integer) RETURNS jsonb LANGUAGE sql STABLE AS $$
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
    'location', (SELECT l.slug FROM locations l WHERE l.id = e.location_id),
    'locationId', e.location_id,
    'participants', coalesce((
      SELECT jsonb_agg(jsonb_build_object('role', p.role, 'participant', p.slug, 'participantId', p.participant_id) ORDER BY p.slug, p.role)
      FROM (SELECT ep.role, ep.participant_id, (SELECT t.slug FROM participants t WHERE t.id = ep.participant_id) AS slug
            FROM event_participants ep WHERE ep.event_id = e.id OFFSET 0) p), '[]'),
    'sources', coalesce((
      SELECT jsonb_agg(s.url ORDER BY s.url)
      FROM (SELECT (SELECT t.url FROM sources t WHERE t.id = es.source_id) AS url
            FROM event_sources es WHERE es.event_id = e.id OFFSET 0) s), '[]'),
    'causes', coalesce((SELECT jsonb_agg(l.cause_id ORDER BY l.cause_id) FROM event_links l WHERE l.effect_id = e.id), '[]'),
    'claims', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'claimant', (SELECT t.slug FROM participants t WHERE t.id = c.claimant_id), 'statement', c.statement,
               'deaths', timeline_toll_state(c.deaths_best, c.deaths_low, c.deaths_high, c.deaths_qualifier, c.deaths_text),
               'injuries', timeline_toll_state(c.injuries_best, c.injuries_low, c.injuries_high, c.injuries_qualifier, c.injuries_text),
               'source', (SELECT t.url FROM sources t WHERE t.id = c.source_id)) ORDER BY c.position)
      FROM event_claims c WHERE c.event_id = e.id), '[]')
  )
  FROM events e WHERE e.id = event_id
$$;
