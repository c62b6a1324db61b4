import type { LocationKind } from "../generated/prisma/enums";
import type { DbClient } from "../db/database";
import { badUserInput } from "../common/errors";
import { locationColumns } from "../locations/location.columns";
import type { Location } from "../locations/location.type";
import { participantColumns } from "../participants/participant.columns";
import type { Participant } from "../participants/participant.type";
import { Prisma } from "../generated/prisma/client";
import { criteriaSql, rollupRange, type EventCriteria, type RollupRange } from "../events/event-criteria";
import {
  Interval,
  type CategoryCount,
  type LocationCount,
  type ParticipantCount,
  type StatsSummary,
  type TimelineBucket,
} from "./stats.type";
import { checkTimeZone } from "./time-zones";

/** More buckets than a chart can show; a client asking for more wants a longer interval. */
export const MAX_BUCKETS = 5000;
export const MAX_TOP = 100;

// date_trunc field and series step for each interval; date_trunc('week') starts ISO weeks on Monday.
const UNITS: Record<Interval, { field: string; step: string }> = {
  [Interval.DAY]: { field: "day", step: "1 day" },
  [Interval.WEEK]: { field: "week", step: "1 week" },
  [Interval.MONTH]: { field: "month", step: "1 month" },
  [Interval.YEAR]: { field: "year", step: "1 year" },
};

type Counted = { count: number; fatalities: number };
type Totals = Pick<StatsSummary, "count" | "fatalities" | "injured">;

/** The rows of a rollup (alias r) that a range covers. */
function rollupMonths({ root, from, to }: RollupRange): Prisma.Sql {
  return Prisma.sql`r.root_location_id = ${root}::int
    ${from ? Prisma.sql`AND r.month >= (${from}::timestamptz AT TIME ZONE 'UTC')` : Prisma.empty}
    ${to ? Prisma.sql`AND r.month < (${to}::timestamptz AT TIME ZONE 'UTC')` : Prisma.empty}`;
}

/** Dashboard figures over the events matching a filter: each figure is one SQL statement. */
export class StatsService {
  constructor(private readonly prisma: DbClient) {}

  /**
   * count, fatalities and injured from the monthly rollups, or null when they cannot answer the
   * criteria exactly (then `summary` has them).
   */
  rollupTotals(criteria: EventCriteria): Promise<Totals> | null {
    const range = rollupRange(criteria);
    if (!range) return null;
    return this.prisma.$queryRaw<[Totals]>`
      SELECT coalesce(sum(r.events), 0)::int AS count, coalesce(sum(r.fatalities), 0)::int AS fatalities,
             coalesce(sum(r.injured), 0)::int AS injured
      FROM event_month_rollups r WHERE ${rollupMonths(range)}`.then(([row]) => row);
  }

  async summary(criteria: EventCriteria): Promise<StatsSummary> {
    const [row] = await this.prisma.$queryRaw<[StatsSummary]>`
      SELECT count(*)::int AS count,
             coalesce(sum(e.fatalities), 0)::int AS fatalities,
             coalesce(sum(e.injured), 0)::int AS injured,
             min(e.occurred_at) AS first, max(e.occurred_at) AS last
      FROM events e WHERE ${criteriaSql(criteria)}`;
    return row;
  }

  /**
   * Contiguous buckets, empty ones included, cut in local time: the series runs over local
   * timestamps (so DST never shifts a boundary) and each start is turned back into an instant.
   * They cover the filter's bounds and every matching event (an event dated to a month may start
   * before `from`), so each event lands in the bucket its occurredAt falls in.
   */
  async buckets(criteria: EventCriteria, interval: Interval, timeZone: string): Promise<TimelineBucket[]> {
    const zone = checkTimeZone(timeZone, "timeZone");
    const { field, step } = UNITS[interval];
    const from = criteria.from ?? null;
    const lastInstant = criteria.to ? new Date(criteria.to.getTime() - 1) : null;
    // Each bucket's figures: from the monthly rollups when they answer the criteria and the
    // buckets are whole UTC months or years, otherwise from the events.
    const range = rollupRange(criteria);
    const totals =
      range && zone === "UTC" && (interval === Interval.MONTH || interval === Interval.YEAR)
        ? Prisma.sql`
          SELECT date_trunc(${field}::text, r.month) AS bucket, sum(r.events)::int AS count,
                 sum(r.fatalities)::int AS fatalities, sum(r.injured)::int AS injured
          FROM event_month_rollups r WHERE ${rollupMonths(range)}
          GROUP BY 1 HAVING sum(r.events) > 0`
        : Prisma.sql`
          SELECT date_trunc(${field}::text, e.occurred_at AT TIME ZONE ${zone}::text) AS bucket, count(*)::int AS count,
                 coalesce(sum(e.fatalities), 0)::int AS fatalities, coalesce(sum(e.injured), 0)::int AS injured
          FROM events e WHERE ${criteriaSql(criteria)}
          GROUP BY 1`;
    const rows = await this.prisma.$queryRaw<Array<TimelineBucket & { tooMany: boolean }>>`
      WITH totals AS (${totals}), bounds AS (
        -- The events' first and last buckets, read once from the totals (a bucket a row).
        SELECT ${from}::timestamptz AT TIME ZONE ${zone}::text AS "from",
               ${lastInstant}::timestamptz AT TIME ZONE ${zone}::text AS "to",
               (SELECT min(bucket) FROM totals) AS first, (SELECT max(bucket) FROM totals) AS last
      ), span AS (
        -- least() and greatest() skip nulls: a missing bound or no events narrows nothing.
        SELECT date_trunc(${field}::text, least(b."from", b."to", b.first)) AS lo,
               date_trunc(${field}::text, greatest(b."from", b."to", b.last)) AS hi
        FROM bounds b
      ), sized AS (
        SELECT lo, hi, hi >= lo + ${step}::interval * ${MAX_BUCKETS}::int AS too_many FROM span
      ), series AS (
        -- Past the limit, generate just the first bucket: enough to report the error.
        SELECT generate_series(lo, CASE WHEN too_many THEN lo ELSE hi END, ${step}::interval) AS bucket, too_many FROM sized
      )
      SELECT s.bucket AT TIME ZONE ${zone}::text AS start, coalesce(t.count, 0) AS count,
             coalesce(t.fatalities, 0) AS fatalities, coalesce(t.injured, 0) AS injured, s.too_many AS "tooMany"
      FROM series s LEFT JOIN totals t ON t.bucket = s.bucket
      ORDER BY s.bucket`;
    if (rows[0]?.tooMany) {
      throw badUserInput(
        `buckets: more than ${MAX_BUCKETS} ${interval} buckets, the limit; ask for a longer interval or narrower dates`,
        "interval",
      );
    }
    return rows.map(({ tooMany: _, ...bucket }) => bucket);
  }

  /** Every category with a matching event: most events first, then by category name. */
  byCategory(criteria: EventCriteria): Promise<CategoryCount[]> {
    return this.prisma.$queryRaw<CategoryCount[]>`
      SELECT e.category, count(*)::int AS count, coalesce(sum(e.fatalities), 0)::int AS fatalities
      FROM events e WHERE ${criteriaSql(criteria)}
      GROUP BY e.category
      ORDER BY count DESC, e.category::text`;
  }

  /**
   * Participants by the number of matching events they are involved in (in any role), then by
   * name: from the rollups when they answer the criteria exactly (a country over whole years),
   * otherwise from the events.
   */
  async topParticipants(criteria: EventCriteria, limit: number): Promise<ParticipantCount[]> {
    checkLimit(limit);
    const range = rollupRange(criteria);
    const counted = range ? participantCountsFromRollups(range) : participantCountsFromEvents(criteria);
    const rows = await this.prisma.$queryRaw<Array<Participant & Counted>>`
      WITH counted AS MATERIALIZED (${counted}), cutoff AS (
        -- The limit-th largest count: only participants at or above it (ties included) need
        -- their names, for the order by name among equal counts.
        SELECT count FROM counted ORDER BY count DESC OFFSET ${limit - 1}::int LIMIT 1
      )
      SELECT ${participantColumns("p")}, c.count, c.fatalities
      FROM counted c JOIN participants p ON p.id = c.participant_id
      WHERE c.count >= coalesce((SELECT count FROM cutoff), 0)
      ORDER BY c.count DESC, p.name, p.id
      LIMIT ${limit}::int`;
    return rows.map(({ count, fatalities, ...participant }) => ({ participant, count, fatalities }));
  }

  /**
   * Locations of one kind by the number of matching events here or anywhere within: a recursive
   * CTE walks up from each event location to its ancestors; an event with no ancestor of that
   * kind is left out.
   */
  async topLocations(criteria: EventCriteria, limit: number, kind: LocationKind): Promise<LocationCount[]> {
    checkLimit(limit);
    const rows = await this.prisma.$queryRaw<Array<Location & Counted>>`
      WITH RECURSIVE at_place AS (
        SELECT e.location_id, count(*) AS count, sum(e.fatalities) AS fatalities
        FROM events e WHERE ${criteriaSql(criteria)} AND e.location_id IS NOT NULL
        GROUP BY e.location_id
      ), up(origin, id, depth) AS (
        SELECT location_id, location_id, 0 FROM at_place
        UNION ALL
        SELECT up.origin, l.parent_id, up.depth + 1 FROM up JOIN locations l ON l.id = up.id
        WHERE l.parent_id IS NOT NULL AND up.depth < 16
      )
      SELECT ${locationColumns("l")}, sum(a.count)::int AS count, coalesce(sum(a.fatalities), 0)::int AS fatalities
      FROM up JOIN at_place a ON a.location_id = up.origin JOIN locations l ON l.id = up.id
      WHERE l.kind = ${kind}::"LocationKind"
      GROUP BY l.id
      ORDER BY count DESC, l.name, l.id
      LIMIT ${limit}::int`;
    return rows.map(({ count, fatalities, ...location }) => ({ location, count, fatalities }));
  }
}

/** Matching events per participant (participant_id, count, fatalities), from the events. */
function participantCountsFromEvents(criteria: EventCriteria): Prisma.Sql {
  // DISTINCT because one participant can hold several roles in an event.
  return Prisma.sql`
    SELECT i.participant_id, count(*)::int AS count, coalesce(sum(i.fatalities), 0)::int AS fatalities
    FROM (SELECT DISTINCT ep.participant_id, e.id, e.fatalities
          FROM events e JOIN event_participants ep ON ep.event_id = e.id
          WHERE ${criteriaSql(criteria)}) i
    GROUP BY i.participant_id`;
}

/** The same from participant_month_rollups: a few rows per participant and month, kept by triggers. */
function participantCountsFromRollups(range: RollupRange): Prisma.Sql {
  // Rows that fell to zero events stay in the table.
  return Prisma.sql`
    SELECT r.participant_id, sum(r.events)::int AS count, sum(r.fatalities)::int AS fatalities
    FROM participant_month_rollups r WHERE ${rollupMonths(range)}
    GROUP BY r.participant_id HAVING sum(r.events) > 0`;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP) {
    throw badUserInput(`limit must be from 1 to ${MAX_TOP}, got ${limit}`, "limit");
  }
}
