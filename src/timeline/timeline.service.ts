import type DataLoader from "dataloader";
import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { pageWindow, toPage, type Page, type PageArgs } from "../common/connection";
import { encodeCursor } from "../common/cursor";
import { badUserInput } from "../common/errors";
import { boundedList } from "../common/ids";
import { causesOfEventJson } from "../events/event.service";
import { eventColumns, eventsFromJson, type EventJson, type EventRow, type EventWithRelations } from "../events/event.columns";
import type { LocationService } from "../locations/location.service";
import { locationJson } from "../locations/location.columns";
import type { Location } from "../locations/location.type";
import { participantsOfEventJson, type ParticipantOfEvent, type ParticipantService } from "../participants/participant.service";
import { sourcesFromJson } from "../sources/source.columns";
import { sourcesOfEventJson } from "../sources/source.service";
import type { Source } from "../sources/source.type";
import { criteriaSql, emptyCriteria, spanningStarts, type EventCriteria } from "./timeline.criteria";
import { SortOrder, type TimelineFilter } from "./timeline.input";

const MAX_SEARCH_LENGTH = 200;

/** A place in the timeline's order. */
type Position = Pick<EventRow, "occurredAt" | "id">;

function keyOf(position: Position): Prisma.Sql {
  return Prisma.sql`(${position.occurredAt}::timestamptz, ${position.id}::int)`;
}

/** The lists a page reads in its own statement, when the request selects them. */
export interface PageRelations {
  participants?: boolean;
  sources?: boolean;
  causes?: boolean;
}

/**
 * An event of a timeline page, with its location (null when it has none) and the lists of
 * PageRelations that were asked for.
 */
export type PageRow = EventWithRelations & { location: Location | null };

/** A page row as the page statement returns it: the lists as JSON. */
type PageRowJson = Omit<PageRow, "sources" | "causes"> & {
  sources?: Parameters<typeof sourcesFromJson>[0];
  causes?: EventJson[];
};

/** The request's loaders a page primes. */
export interface PageLoaders {
  location: DataLoader<number, Location | null>;
  eventParticipants: DataLoader<number, ParticipantOfEvent[]>;
  eventSources: DataLoader<number, Source[]>;
  eventCauses: DataLoader<number, EventRow[]>;
}

/**
 * Hands what a page read with its events to the request's loaders, for the other places the
 * request meets the same events and places (EventResolver serves a page row's own lists from
 * the row).
 */
export function primePage(loaders: PageLoaders, rows: readonly PageRow[]): void {
  for (const row of rows) {
    if (row.location) loaders.location.prime(row.location.id, row.location);
    if (row.participants) loaders.eventParticipants.prime(row.id, row.participants);
    if (row.sources) loaders.eventSources.prime(row.id, row.sources);
    if (row.causes) loaders.eventCauses.prime(row.id, row.causes);
  }
}

/** A fixed restriction added to a client's filter: Participant.events and Location.events. */
export interface TimelineScope {
  participantId?: number;
  locationSlug?: string;
}

/** The chronological timeline: filters resolved once per request, keyset pages over (occurred_at, id). */
export class TimelineService {
  constructor(
    private readonly prisma: DbClient,
    private readonly participants: ParticipantService,
    private readonly locations: LocationService,
  ) {}

  /** Validates a client's filter and resolves its slugs; unknown slugs are BAD_USER_INPUT naming them. */
  async resolveFilter(filter: TimelineFilter | null | undefined, scope: TimelineScope = {}): Promise<EventCriteria> {
    const criteria = emptyCriteria();
    if (scope.participantId) criteria.participantSets.push([scope.participantId]);
    if (scope.locationSlug) criteria.locationSets.push(await this.locations.subtreeIds([scope.locationSlug]));
    if (!filter) return criteria;

    if (filter.from) criteria.from = filter.from.start;
    if (filter.to) criteria.to = filter.to.end;
    if (filter.from && filter.to && filter.from.start >= filter.to.end) {
      throw badUserInput("filter.from must not be after filter.to", "filter.from");
    }
    const categories = boundedList(filter.categories, "filter.categories");
    if (categories.length) criteria.categories = categories;
    const statuses = boundedList(filter.statuses, "filter.statuses");
    if (statuses.length) criteria.statuses = statuses;

    const participantSlugs = boundedList(filter.participants, "filter.participants");
    if (participantSlugs.length) {
      criteria.participantSets.push(await this.participants.idsBySlugs(participantSlugs, "filter.participants"));
    }
    const locationSlugs = boundedList(filter.locations, "filter.locations");
    if (locationSlugs.length) {
      const { ids, root } = await this.locations.subtree(locationSlugs, "filter.locations");
      criteria.locationSets.push(ids);
      if (root !== null && criteria.locationSets.length === 1) criteria.locationRoot = root;
    }
    if (filter.minFatalities != null) {
      if (filter.minFatalities < 0) throw badUserInput("filter.minFatalities must not be negative", "filter.minFatalities");
      criteria.minFatalities = filter.minFatalities;
    }
    const search = filter.search?.trim();
    if (search) {
      if (search.length > MAX_SEARCH_LENGTH || search.includes("\0")) {
        throw badUserInput(`filter.search must be at most ${MAX_SEARCH_LENGTH} characters of text`, "filter.search");
      }
      criteria.search = search;
    }
    return criteria;
  }

  /**
   * One page of matching events in time order, each with its location and the relations asked
   * for, read in the same statement (see primePage); counts and the look behind the cursor run
   * only if asked for.
   */
  async page(criteria: EventCriteria, order: SortOrder, args: PageArgs, relations: PageRelations = {}): Promise<Page<PageRow>> {
    const window = pageWindow(args, "ti");
    const where = criteriaSql(criteria);
    // Going backward runs the query in the opposite order; toPage flips the rows back.
    const ascending = (order !== SortOrder.DESC) !== window.backward;
    const position = window.key ? { occurredAt: new Date(window.key[0] as number), id: window.key[1] as number } : null;
    const rows = await this.rowsWithRelations(criteria, ascending, position, window.size + 1, relations);

    return toPage(
      rows,
      window,
      (event) => encodeCursor([event.occurredAt.getTime(), event.id]),
      () => this.count(criteria),
      async () => {
        const key = keyOf(position!);
        const behind = ascending ? Prisma.sql`(e.occurred_at, e.id) <= ${key}` : Prisma.sql`(e.occurred_at, e.id) >= ${key}`;
        const [{ exists }] = await this.prisma.$queryRaw<[{ exists: boolean }]>`
          SELECT EXISTS (SELECT 1 FROM events e WHERE ${where} AND ${behind}) AS "exists"`;
        return exists;
      },
    );
  }

  /**
   * Every matching event in time order, a batch at a time: exports walk the whole timeline in
   * constant memory, with the same keyset query the API pages with.
   */
  async *batches(criteria: EventCriteria, order: SortOrder, size = 1000): AsyncGenerator<EventRow[]> {
    let position: Position | null = null;
    for (;;) {
      const rows = await this.rows(criteria, order === SortOrder.ASC, position, size);
      if (rows.length) yield rows;
      if (rows.length < size) return;
      position = rows[rows.length - 1];
    }
  }

  /**
   * rows(), each event with its location and the relations asked for: a page is small, so each
   * is a few index probes per event, and one statement serves what would otherwise take four.
   */
  private async rowsWithRelations(
    criteria: EventCriteria,
    ascending: boolean,
    position: Position | null,
    limit: number,
    relations: PageRelations,
  ): Promise<PageRow[]> {
    const direction = ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`;
    const id = Prisma.sql`p.id`;
    const lists = [
      relations.participants ? Prisma.sql`, ${participantsOfEventJson(id)} AS participants` : Prisma.empty,
      relations.sources ? Prisma.sql`, ${sourcesOfEventJson(id)} AS sources` : Prisma.empty,
      relations.causes ? Prisma.sql`, ${causesOfEventJson(id)} AS causes` : Prisma.empty,
    ];
    // Rows, not the page as one JSON value: json_agg over the page doubled Postgres's CPU a
    // page (3.2 to 6.3 ms) and saved Node nothing.
    const rows = await this.prisma.$queryRaw<PageRowJson[]>`
      SELECT p.*, CASE WHEN l.id IS NULL THEN NULL ELSE ${locationJson("l")} END AS location ${Prisma.join(lists, " ")}
      FROM (${this.rowsSql(criteria, ascending, position, limit)}) p
      LEFT JOIN locations l ON l.id = p."locationId"
      ORDER BY p."occurredAt" ${direction}, p.id ${direction}`;
    return rows.map(({ sources, causes, ...row }) => ({
      ...row,
      ...(sources ? { sources: sourcesFromJson(sources) } : {}),
      ...(causes ? { causes: eventsFromJson(causes) } : {}),
    }));
  }

  private rows(criteria: EventCriteria, ascending: boolean, position: Position | null, limit: number): Promise<EventRow[]> {
    return this.prisma.$queryRaw<EventRow[]>(this.rowsSql(criteria, ascending, position, limit));
  }

  /** Up to `limit` events after `position` in the given direction: the one keyset query. */
  private rowsSql(criteria: EventCriteria, ascending: boolean, position: Position | null, limit: number): Prisma.Sql {
    const direction = ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`;
    const ahead = position
      ? ascending
        ? Prisma.sql`AND (e.occurred_at, e.id) > ${keyOf(position)}`
        : Prisma.sql`AND (e.occurred_at, e.id) < ${keyOf(position)}`
      : Prisma.empty;
    const select = (where: Prisma.Sql) => Prisma.sql`
      SELECT ${eventColumns("e")} FROM events e
      WHERE ${where} ${ahead}
      ORDER BY e.occurred_at ${direction}, e.id ${direction}
      LIMIT ${limit}`;
    const where = criteriaSql(criteria);
    if (!criteria.from) return select(where);
    // An event matches `from` if it starts at or after it, or started before and spans it. As
    // one condition (ends_at > from) the time index is walked from a year before `from`,
    // through every event that ended before it; as two, one ordered scan starts at `from` and
    // the other probes the three instants a spanning event can start at (spanningStarts).
    const from = criteria.from;
    return Prisma.sql`
      SELECT * FROM (
        (${select(Prisma.sql`${where} AND e.occurred_at >= ${from}::timestamptz`)})
        UNION ALL
        (${select(Prisma.sql`${where} AND e.occurred_at < ${from}::timestamptz
                               AND e.occurred_at = ANY(${spanningStarts(from).map((start) => start.toISOString())}::timestamptz[])`)})
      ) e
      ORDER BY e."occurredAt" ${direction}, e.id ${direction}
      LIMIT ${limit}`;
  }

  async count(criteria: EventCriteria): Promise<number> {
    const [{ count }] = await this.prisma.$queryRaw<[{ count: number }]>`
      SELECT count(*)::int AS count FROM events e WHERE ${criteriaSql(criteria)}`;
    return count;
  }
}
