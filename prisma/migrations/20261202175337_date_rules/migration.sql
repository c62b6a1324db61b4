-- CreateTable
CREATE TABLE "data_reports" (
    "id" SERIAL NOT NULL,
    "migration" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "event_id" INTEGER,
    "detail" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "data_reports_migration_idx" ON "data_reports"("migration");

-- Writes now refuse an OCCURRED event that starts after it is written (a day's slack for time
-- zones) and a PLANNED one more than 100 years ahead (PLANNED_HORIZON_YEARS). Events stored
-- before that break the rule are kept as they are and reported here, one row each.
INSERT INTO "data_reports" ("migration", "kind", "event_id", "detail")
SELECT '20261202175337_date_rules', 'occurred_in_future', e.id,
       format('OCCURRED event %s ("%s") starts at %s, after this migration ran', e.id, left(e.title, 80), e.occurred_at)
FROM "events" e
WHERE e.status = 'OCCURRED' AND e.occurred_at > now() + interval '1 day'
UNION ALL
SELECT '20261202175337_date_rules', 'planned_beyond_horizon', e.id,
       format('PLANNED event %s ("%s") starts at %s, more than 100 years after this migration ran', e.id, left(e.title, 80), e.occurred_at)
FROM "events" e
WHERE e.status = 'PLANNED' AND e.occurred_at > now() + interval '100 years';
