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
             -- A missing low counts as the best figure; a missing high as the best, then the low.
             coalesce(sum(coalesce(e.deaths_low, e.fatalities)), 0)::int AS "fatalitiesLow",
             coalesce(sum(coalesce(e.deaths_high, e.fatalities, e.deaths_low)), 0)::int AS "fatalitiesHigh",
             min(e.earliest) AS first, max(e.latest) AS last
      FROM events e WHERE ${criteriaSql(criteria)}`;
    return row;
  }

  /**
   * Contiguous buckets, empty ones included, cut in local time: the series runs over local
   * timestamps (so DST never shifts a boundary) and each start is turned back into an instant.
   * An event counts in a bucket when its whole window lies in it, and is `uncertain` in every
   * bucket its window reaches otherwise: a running sum over the buckets, of the windows that
   * start by each less those that ended before it, so the cost is the events' plus the buckets',
   * whatever the windows' widths. The series covers the filter's from..to when given (and every
   * bucket an event counts in), else the matching events' windows.
   */
  async buckets(criteria: EventCriteria, interval: Interval, timeZone: string): Promise<TimelineBucket[]> {
    const zone = checkTimeZone(timeZone, "timeZone");
    const { field, step } = UNITS[interval];
    const local = (instant: Date | undefined, calendar: boolean | undefined) =>
      instant ? Prisma.sql`date_trunc(${field}::text, ${instant}::timestamptz AT TIME ZONE ${calendar ? "UTC" : zone}::text)` : Prisma.sql`NULL::timestamp`;
    const lastInstant = criteria.to ? new Date(criteria.to.getTime() - 1) : undefined;
    const rows = await this.prisma.$queryRaw<Array<TimelineBucket & { tooMany: boolean }>>`
      WITH windows AS MATERIALIZED (${this.bucketedWindows(criteria, field, zone, interval)}),
      counted AS (
        SELECT first AS bucket, sum(n)::int AS count, sum(fatalities)::int AS fatalities, sum(injured)::int AS injured
        FROM windows WHERE first = last GROUP BY 1
      ), bounds AS (
        SELECT ${local(criteria.from, criteria.fromCalendar)} AS "from", ${local(lastInstant, criteria.toCalendar)} AS "to",
               (SELECT min(first) FROM windows) AS first, (SELECT max(last) FROM windows) AS last,
               (SELECT min(bucket) FROM counted) AS counted_first, (SELECT max(bucket) FROM counted) AS counted_last
      ), span AS (
        -- least() and greatest() skip nulls.
        SELECT CASE WHEN b."from" IS NULL THEN least(b.first, b."to") ELSE least(b."from", b.counted_first) END AS lo,
               CASE WHEN b."to" IS NULL THEN greatest(b.last, b."from") ELSE greatest(b."to", b.counted_last) END AS hi
        FROM bounds b
      ), sized AS (
        SELECT lo, hi, hi >= lo + ${step}::interval * ${MAX_BUCKETS}::int AS too_many FROM span
      ), series AS (
        -- Past the limit, generate just the first bucket: enough to report the error.
        SELECT generate_series(lo, CASE WHEN too_many THEN lo ELSE hi END, ${step}::interval) AS bucket, too_many FROM sized
      ), reaching AS (
        -- Windows over more than one bucket that reach into the series.
        SELECT w.first, w.last, w.n FROM windows w, sized z WHERE w.first <> w.last AND w.last >= z.lo AND w.first <= z.hi
      ), opened AS (
        SELECT greatest(r.first, z.lo) AS bucket, sum(r.n) AS n FROM reaching r, sized z GROUP BY 1
      ), closed AS (
        SELECT r.last + ${step}::interval AS bucket, sum(r.n) AS n FROM reaching r GROUP BY 1
      )
      SELECT s.bucket AT TIME ZONE ${zone}::text AS start, coalesce(c.count, 0) AS count,
             coalesce(c.fatalities, 0) AS fatalities, coalesce(c.injured, 0) AS injured,
             (sum(coalesce(o.n, 0) - coalesce(x.n, 0)) OVER (ORDER BY s.bucket))::int AS uncertain,
             s.too_many AS "tooMany"
      FROM series s LEFT JOIN counted c ON c.bucket = s.bucket
      LEFT JOIN opened o ON o.bucket = s.bucket LEFT JOIN closed x ON x.bucket = s.bucket
      ORDER BY s.bucket`;
    if (rows[0]?.tooMany) {
      throw badUserInput(
        `buckets: more than ${MAX_BUCKETS} ${interval} buckets, the limit; ask for a longer interval or narrower dates`,
        "interval",
      );
    }
    return rows.map(({ tooMany: _, ...bucket }) => bucket);
  }

  /** Matching events whose window reaches over more than one bucket of this interval. */
  async imprecise(criteria: EventCriteria, interval: Interval, timeZone: string): Promise<number> {
    const zone = checkTimeZone(timeZone, "timeZone");
    const [{ count }] = await this.prisma.$queryRaw<[{ count: number }]>`
      SELECT coalesce(sum(w.n), 0)::int AS count
      FROM (${this.bucketedWindows(criteria, UNITS[interval].field, zone, interval)}) w WHERE w.first <> w.last`;
    return count;
  }

  /**
   * The matching events' windows as the local buckets (first, last) their ends fall in, with
   * how many events (n) and their tolls: a row per event, or per rollup row when the monthly
   * rollups answer the criteria and the buckets are whole UTC months or years. A window end
   * that is a calendar date's keeps its day in every zone (read as UTC wall-clock time); an
   * instant moves; a window that comes out reversed in local time (a publication instant that
   * is the day before in this zone) is read as its first bucket.
   */
  private bucketedWindows(criteria: EventCriteria, field: string, zone: string, interval: Interval): Prisma.Sql {
    const range = rollupRange(criteria);
    if (range && zone === "UTC" && (interval === Interval.MONTH || interval === Interval.YEAR)) {
      return Prisma.sql`
        SELECT date_trunc(${field}::text, r.month) AS first, date_trunc(${field}::text, r.last_month) AS last,
               r.events AS n, r.fatalities, r.injured
        FROM event_month_rollups r WHERE ${rollupMonths(range)} AND r.events <> 0`;
    }
    const earliest = Prisma.sql`CASE WHEN e.earliest_calendar THEN e.earliest AT TIME ZONE 'UTC' ELSE e.earliest AT TIME ZONE ${zone}::text END`;
    const latest = Prisma.sql`CASE WHEN e.latest_calendar THEN e.latest AT TIME ZONE 'UTC' ELSE e.latest AT TIME ZONE ${zone}::text END`;
    return Prisma.sql`
      SELECT date_trunc(${field}::text, ${earliest}) AS first,
             date_trunc(${field}::text, greatest(${earliest}, ${latest})) AS last,
             1 AS n, e.fatalities, e.injured
      FROM events e WHERE ${criteriaSql(criteria)}`;
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
