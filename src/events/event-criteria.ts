import { Prisma } from "../generated/prisma/client";
import type { EventCategory, EventStatus, ParticipantRole } from "../generated/prisma/enums";

/**
 * A timeline filter resolved against the database: slugs turned into ids, dates into instants.
 * Every field narrows the set (AND); within a list, any value matches (OR).
 */
export interface EventCriteria {
  /** The first instant of the `from` period. */
  from?: Date;
  /** The first instant after the `to` period. */
  to?: Date;
  /** Whether `from` and `to` are calendar dates (not instants): buckets keep them on their days. */
  fromCalendar?: boolean;
  toCalendar?: boolean;
  /**
   * How from/to meet an event's time window: OVERLAPS (the window reaches into the period) or
   * WITHIN (the whole window lies inside it).
   */
  dateMatch: "OVERLAPS" | "WITHIN";
  categories?: EventCategory[];
  statuses?: EventStatus[];
  /** Each set is one "involves any of these participants" constraint. */
  participantSets: number[][];
  /**
   * Roles: each participant set matches only where one of its participants took one of them;
   * without participant sets, events where anyone did.
   */
  roles?: ParticipantRole[];
  /** Each set is one "is at any of these locations" constraint, subtrees already expanded. */
  locationSets: number[][];
  /**
   * When the only location constraint is one root location (a country) and its subtree: its
   * id, for the rollups kept per root (see rollupRange).
   */
  locationRoot?: number;
  minFatalities?: number;
  search?: string;
}

/**
 * The longest period an event can stand for: a leap year, at YEAR precision. The migration
 * event_period_bounds holds ends_at - occurred_at to it.
 */
export const LONGEST_PERIOD_MS = 366 * 86_400_000;

/** 0001-01-01T00:00:00Z, the first instant a PartialDate can name. */
const FIRST_INSTANT = -62_135_596_800_000;

/**
 * The only instants at which an event that began before `from` and is still going on at `from`
 * can have started: the first instants (UTC) of the year, the month and the day `from` falls in.
 * YEAR, MONTH and DAY periods start there (a check constraint holds every row to it) and a
 * TIME period lasts one millisecond.
 */
export function spanningStarts(from: Date): Date[] {
  const [year, month, day] = [from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()];
  const utc = (m: number, d: number) => {
    const date = new Date(0);
    date.setUTCFullYear(year, m, d); // also right for years before 100, which Date.UTC maps to the 1900s
    return date;
  };
  return [utc(0, 1), utc(month, 1), utc(month, day)];
}

/**
 * spanningStarts less those at `from` itself: an event whose period starts at `from` starts its
 * window there too, so it never straddles `from`. Empty when `from` starts a UTC year, where no
 * window can straddle (no period crosses a new year): then an OVERLAPS filter is simply
 * `earliest >= from`, one ordered index range.
 */
export function straddlingStarts(from: Date): Date[] {
  const starts = spanningStarts(from).filter((start) => start.getTime() < from.getTime());
  return [...new Map(starts.map((start) => [start.getTime(), start])).values()];
}

export const emptyCriteria = (): EventCriteria => ({ participantSets: [], locationSets: [], dateMatch: "OVERLAPS" });

/**
 * Where the criteria read an event's fields: a row of `events e` (EVENT_ROW), or an event's state
 * as the change log recorded it (recordedState), so that a filter matches a deleted event by its
 * last state.
 */
export interface CriteriaSubject {
  earliest: Prisma.Sql;
  latest: Prisma.Sql;
  category: Prisma.Sql;
  status: Prisma.Sql;
  locationId: Prisma.Sql;
  fatalities: Prisma.Sql;
  /** The text searched, as a tsvector. */
  document: Prisma.Sql;
  /** Whether one of its participant rows (participant id, role) passes `condition`, written over `ep.participant_id` and `ep.role`. */
  participantWhere(condition: Prisma.Sql): Prisma.Sql;
}

/** A row of `events e`. The full-text expression must stay identical to the one indexed by the migration (events_search_idx). */
export const EVENT_ROW: CriteriaSubject = {
  earliest: Prisma.sql`e.earliest`,
  latest: Prisma.sql`e.latest`,
  category: Prisma.sql`e.category`,
  status: Prisma.sql`e.status`,
  locationId: Prisma.sql`e.location_id`,
  fatalities: Prisma.sql`e.fatalities`,
  document: Prisma.sql`to_tsvector('english', e.title || ' ' || coalesce(e.summary, ''))`,
  participantWhere: (condition) => Prisma.sql`EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = e.id AND ${condition})`,
};

/** An event's state as the change log records it (timeline_event_state, migration change_log), a jsonb expression. */
export function recordedState(state: Prisma.Sql): CriteriaSubject {
  return {
    earliest: Prisma.sql`(${state}->'timeWindow'->>'earliest')::timestamptz`,
    latest: Prisma.sql`(${state}->'timeWindow'->>'latest')::timestamptz`,
    category: Prisma.sql`(${state}->>'category')::"EventCategory"`,
    status: Prisma.sql`(${state}->>'status')::"EventStatus"`,
    locationId: Prisma.sql`(${state}->>'locationId')::int`,
    fatalities: Prisma.sql`(${state}->'deaths'->>'best')::int`,
    document: Prisma.sql`to_tsvector('english', (${state}->>'title') || ' ' || coalesce(${state}->>'summary', ''))`,
    participantWhere: (condition) =>
      Prisma.sql`EXISTS (SELECT 1 FROM jsonb_to_recordset(${state}->'participants') AS p("participantId" int, role text)
                         CROSS JOIN LATERAL (SELECT p."participantId" AS participant_id, p.role::"ParticipantRole" AS role) ep
                         WHERE ${condition})`,
  };
}

/** The SQL condition for the criteria, over a row of `events e` unless another subject is given. */
export function criteriaSql(criteria: EventCriteria, subject: CriteriaSubject = EVENT_ROW): Prisma.Sql {
  const e = subject;
  const conditions: Prisma.Sql[] = [];
  const within = criteria.dateMatch === "WITHIN";
  if (criteria.from) {
    if (within || !straddlingStarts(criteria.from).length) {
      conditions.push(Prisma.sql`${e.earliest} >= ${criteria.from}::timestamptz`);
    } else {
      conditions.push(Prisma.sql`${e.latest} >= ${criteria.from}::timestamptz`);
      // Implied by the line above, since a window lies inside its date's period and no period is
      // longer than LONGEST_PERIOD_MS: it bounds the index ranges that counts and figures scan.
      // (Pages split `from` further: see EventListService.rowsSql.) Clamped to year 1: Postgres
      // refuses year 0, and no event starts before year 1 anyway.
      const earliest = new Date(Math.max(criteria.from.getTime() - LONGEST_PERIOD_MS, FIRST_INSTANT));
      conditions.push(Prisma.sql`${e.earliest} >= ${earliest}::timestamptz`);
    }
  }
  if (criteria.to) {
    conditions.push(Prisma.sql`${e.earliest} < ${criteria.to}::timestamptz`);
    if (within) conditions.push(Prisma.sql`${e.latest} < ${criteria.to}::timestamptz`);
  }
  if (criteria.categories?.length) {
    conditions.push(Prisma.sql`${e.category} = ANY(${criteria.categories}::"EventCategory"[])`);
  }
  if (criteria.statuses?.length) {
    conditions.push(Prisma.sql`${e.status} = ANY(${criteria.statuses}::"EventStatus"[])`);
  }
  const inRoles = criteria.roles?.length ? Prisma.sql`AND ep.role = ANY(${criteria.roles}::"ParticipantRole"[])` : Prisma.empty;
  for (const ids of criteria.participantSets) {
    conditions.push(e.participantWhere(Prisma.sql`ep.participant_id = ANY(${ids}::int[]) ${inRoles}`));
  }
  if (criteria.roles?.length && !criteria.participantSets.length) {
    conditions.push(e.participantWhere(Prisma.sql`TRUE ${inRoles}`));
  }
  for (const ids of criteria.locationSets) {
    conditions.push(Prisma.sql`${e.locationId} = ANY(${ids}::int[])`);
  }
  if (criteria.minFatalities != null) conditions.push(Prisma.sql`${e.fatalities} >= ${criteria.minFatalities}::int`);
  if (criteria.search) {
    conditions.push(Prisma.sql`${e.document} @@ websearch_to_tsquery('english', ${criteria.search}::text)`);
  }
  return conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
}

/** The months of a rollup (participant_month_rollups) that hold exactly the events matching the criteria. */
export interface RollupRange {
  root: number;
  /** First month, inclusive (UTC); null for no bound. */
  from: Date | null;
  /** First month after, exclusive (UTC); null for no bound. */
  to: Date | null;
}

/**
 * Whether a rollup kept per root location and UTC month answers the criteria exactly, and over
 * which months: only the root's subtree and a period constrain them, `from` starts a UTC year
 * (no event that began before it can span it: YEAR periods start on 1 January, finer ones end
 * by the next month) and `to` ends on a UTC month. Anything else needs the events themselves.
 */
export function rollupRange(criteria: EventCriteria): RollupRange | null {
  if (criteria.locationRoot == null || criteria.locationSets.length !== 1) return null;
  if (criteria.participantSets.length || criteria.roles?.length || criteria.categories?.length || criteria.statuses?.length) return null;
  // Keyed by the month of the earliest possible start, which answers OVERLAPS only: with `from`
  // at a year's start no window straddles it (a window lies inside a period, and no period
  // crosses a new year), so a window reaches past `from` exactly when it starts there.
  if (criteria.minFatalities != null || criteria.search || criteria.dateMatch !== "OVERLAPS") return null;
  const { from = null, to = null } = criteria;
  if (from && !(from.getUTCMonth() === 0 && startsMonth(from))) return null;
  if (to && !startsMonth(to)) return null;
  return { root: criteria.locationRoot, from, to };
}

const startsMonth = (instant: Date) =>
  instant.getUTCDate() === 1 && instant.getUTCHours() === 0 && instant.getUTCMinutes() === 0 && instant.getUTCSeconds() === 0 && instant.getUTCMilliseconds() === 0;
