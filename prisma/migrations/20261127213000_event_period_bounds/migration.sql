-- Hand-written: what the timeline's `from` filter relies on (src/timeline/timeline.criteria.ts),
-- made rules the database enforces. The service derives every period from a PartialDate, so
-- rows written through it satisfy both already.

-- No period is longer than a leap year (YEAR is the coarsest precision): besides
-- `ends_at > from`, counts and dashboard figures can bound their index range with the implied
-- `occurred_at > from - 366 days` instead of scanning from the first event.
ALTER TABLE "events"
  ADD CONSTRAINT "events_period_length_check" CHECK ("ends_at" - "occurred_at" <= interval '366 days');

-- YEAR, MONTH and DAY periods start on their first instant, in UTC: an event that began before
-- `from` and spans it can only have started at the start of from's year, month or day, which a
-- timeline page finds with three index probes instead of a walk through the year before `from`.
ALTER TABLE "events"
  ADD CONSTRAINT "events_period_start_check" CHECK (
    "precision" = 'TIME'
    OR "occurred_at" = date_trunc(
      CASE "precision" WHEN 'YEAR' THEN 'year' WHEN 'MONTH' THEN 'month' ELSE 'day' END,
      "occurred_at" AT TIME ZONE 'UTC'
    ) AT TIME ZONE 'UTC'
  );
