-- Hand-written: no event stands for more than a leap year (YEAR precision is the coarsest). The
-- timeline's `from` filter relies on it (src/timeline/timeline.criteria.ts, LONGEST_PERIOD_MS):
-- besides `ends_at > from` it adds the implied `occurred_at > from - 366 days`, which gives the
-- (occurred_at, id) index a place to start instead of a walk from the first event.
ALTER TABLE "events"
  ADD CONSTRAINT "events_period_length_check" CHECK ("ends_at" - "occurred_at" <= interval '366 days');
