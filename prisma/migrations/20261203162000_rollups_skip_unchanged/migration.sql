-- An update of events that changes no rollup's figures (a title, a summary, a version and
-- updated_at: every write the change log records bumps them) ran both rollup update triggers to
-- the end: they computed empty deltas, then took the rollup lock and upserted nothing; 2 ms of
-- every updateEvent and deleteEvent, and every writer queued behind the lock for it. The apply
-- functions now return at once when given nothing, and the update triggers look first for a row
-- whose place, window or toll changed.
CREATE OR REPLACE FUNCTION timeline_rollup_apply(
  event_ids integer[], participant_ids integer[], location_ids integer[], starts timestamptz[], deaths integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Nothing to add (a statement that changed no pair): no lock, no work.
  IF coalesce(cardinality(event_ids), 0) = 0 THEN
    RETURN;
  END IF;
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

CREATE OR REPLACE FUNCTION timeline_event_rollup_apply(
  location_ids integer[], firsts timestamptz[], lasts timestamptz[], deaths integer[], hurt integer[], signs integer[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Nothing to add (a statement that changed no event's place, window or toll): no lock, no work.
  IF coalesce(cardinality(location_ids), 0) = 0 THEN
    RETURN;
  END IF;
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

CREATE OR REPLACE FUNCTION timeline_rollup_events_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, date_trunc('month', o.earliest AT TIME ZONE 'UTC'), o.fatalities)
          IS DISTINCT FROM (n.location_id, date_trunc('month', n.earliest AT TIME ZONE 'UTC'), n.fatalities)
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM timeline_rollup_apply(array_agg(c.event_id), array_agg(c.participant_id), array_agg(c.location_id),
                                array_agg(c.earliest), array_agg(c.fatalities), array_agg(c.sign))
  FROM (
    SELECT DISTINCT o.id AS event_id, ep.participant_id, o.location_id, o.earliest, o.fatalities, -1 AS sign
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN event_participants ep ON ep.event_id = o.id
    WHERE (o.location_id, date_trunc('month', o.earliest AT TIME ZONE 'UTC'), o.fatalities)
          IS DISTINCT FROM (n.location_id, date_trunc('month', n.earliest AT TIME ZONE 'UTC'), n.fatalities)
    UNION ALL
    SELECT DISTINCT n.id, ep.participant_id, n.location_id, n.earliest, n.fatalities, 1
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN event_participants ep ON ep.event_id = n.id
    WHERE (o.location_id, date_trunc('month', o.earliest AT TIME ZONE 'UTC'), o.fatalities)
          IS DISTINCT FROM (n.location_id, date_trunc('month', n.earliest AT TIME ZONE 'UTC'), n.fatalities)
  ) c;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION timeline_event_rollup_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.earliest, o.latest, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.earliest, n.latest, n.fatalities, n.injured)
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM timeline_event_rollup_apply(array_agg(c.location_id), array_agg(c.earliest), array_agg(c.latest),
                                      array_agg(c.fatalities), array_agg(c.injured), array_agg(c.sign))
  FROM (
    SELECT o.location_id, o.earliest, o.latest, o.fatalities, o.injured, -1 AS sign
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.earliest, o.latest, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.earliest, n.latest, n.fatalities, n.injured)
    UNION ALL
    SELECT n.location_id, n.earliest, n.latest, n.fatalities, n.injured, 1
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.location_id, o.earliest, o.latest, o.fatalities, o.injured) IS DISTINCT FROM (n.location_id, n.earliest, n.latest, n.fatalities, n.injured)
  ) c;
  RETURN NULL;
END
$$;
