-- A write records its UPDATED and DELETED entries in one statement: the states after the write,
-- the fields that changed and the versions, all in SQL (the writer used to read the states back
-- into Node, compare them there and send them again: one more round trip per write). The
-- fields are the Event fields each part of a state stands for: a new deaths toll changes `deaths`
-- and `fatalities`, a new date `date` and whichever of `occurredAt` and `precision` moved.
CREATE FUNCTION timeline_state_fields(s jsonb) RETURNS TABLE (n integer, field text, value jsonb) LANGUAGE sql IMMUTABLE AS $$
  SELECT f.n, f.field, coalesce(f.value, 'null'::jsonb) FROM (VALUES
    (1, 'title', s->'title'),
    (2, 'summary', s->'summary'),
    (3, 'date', to_jsonb(CASE s->>'precision'
                          WHEN 'YEAR' THEN left(s->>'occurredAt', 4)
                          WHEN 'MONTH' THEN left(s->>'occurredAt', 7)
                          WHEN 'DAY' THEN left(s->>'occurredAt', 10)
                          ELSE s->>'occurredAt' END)),
    (4, 'occurredAt', s->'occurredAt'),
    (5, 'precision', s->'precision'),
    (6, 'timeWindow', s->'timeWindow'),
    (7, 'category', s->'category'),
    (8, 'status', s->'status'),
    (9, 'fatalities', s->'deaths'->'best'),
    (10, 'injured', s->'injuries'->'best'),
    (11, 'deaths', s->'deaths'),
    (12, 'injuries', s->'injuries'),
    (13, 'claims', s->'claims'),
    (14, 'location', s->'location'),
    (15, 'participants', (SELECT coalesce(jsonb_agg(p - 'participantId' ORDER BY i), '[]'::jsonb)
                          FROM jsonb_array_elements(s->'participants') WITH ORDINALITY AS x(p, i))),
    (16, 'sources', s->'sources'),
    (17, 'causes', s->'causes')
  ) AS f(n, field, value)
$$;

-- The Event fields that differ between two states, in the order above, with their values.
CREATE FUNCTION timeline_field_changes(before jsonb, after jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('field', b.field, 'before', b.value, 'after', a.value) ORDER BY b.n), '[]'::jsonb)
  FROM timeline_state_fields(before) b JOIN timeline_state_fields(after) a ON a.n = b.n
  WHERE b.value IS DISTINCT FROM a.value
$$;
