import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { pageWindow, toPage, type Page, type PageArgs } from "../common/connection";
import { encodeCursor } from "../common/cursor";
import { causesOfEventJson } from "./event.service";
import { eventColumns, eventsFromJson, type EventColumn, type EventJson, type EventRow, type EventWithRelations } from "./event.columns";
import { locationJson } from "../locations/location.columns";
import type { Location } from "../locations/location.type";
import { participantsOfEventJson } from "../participants/participant.service";
import { sourcesFromJson } from "../sources/source.columns";
import { sourcesOfEventJson } from "../sources/source.service";
import { criteriaSql, straddlingStarts, type EventCriteria } from "./event-criteria";
import { SortOrder } from "./event-filter.input";

/**
 * A place in the timeline's order: by the window's earliest possible start, a cause before its
 * effects when those tie (causal depth), then by id.
 */
type Position = Pick<EventRow, "earliest" | "causalDepth" | "id">;

function keyOf(position: Position): Prisma.Sql {
  return Prisma.sql`(${position.earliest}::timestamptz, ${position.causalDepth}::int, ${position.id}::int)`;
}

const ORDER_KEY = Prisma.sql`(e.earliest, e.causal_depth, e.id)`;

/**
 * What a page's statement reads besides its events' keys: the lists the request selects, and the
 * columns its fields need (all when undefined; the location is joined when `locationId` is read).
 */
export interface PageRelations {
  participants?: boolean;
  sources?: boolean;
  causes?: boolean;
  columns?: EventColumn[];
  /** The columns of the causes' rows, when the request selects causes. */
  causeColumns?: EventColumn[];
}

/**
 * An event of a timeline page, with its location (null when it has none) and the lists of
 * PageRelations that were asked for. Only the columns PageRelations names are set: the others,
 * which no selected field reads, are undefined.
 */
export type PageRow = EventWithRelations & { location: Location | null };

/** A page row as the page statement returns it: the lists as JSON. */
type PageRowJson = Omit<PageRow, "sources" | "causes"> & {
  sources?: Parameters<typeof sourcesFromJson>[0];
  causes?: EventJson[];
};

/**
 * Events matching resolved criteria, in time order: keyset pages over (earliest, causal_depth, id) for the
 * API (each page in one statement with the lists it selects), whole batches for exports, counts.
 */
export class EventListService {
  constructor(private readonly prisma: DbClient) {}

  /**
   * One page of matching events in time order, each with its location and the relations asked
   * for, read in the same statement (see primePage); counts and the look behind the cursor run
   * only if asked for.
   */
  async page(criteria: EventCriteria, order: SortOrder, args: PageArgs, relations: PageRelations = {}): Promise<Page<PageRow>> {
    const window = pageWindow(args, "tii");
    const where = criteriaSql(criteria);
    // Going backward runs the query in the opposite order; toPage flips the rows back.
    const ascending = (order !== SortOrder.DESC) !== window.backward;
    const position = window.key
      ? { earliest: new Date(window.key[0] as number), causalDepth: window.key[1] as number, id: window.key[2] as number }
      : null;
    const rows = await this.rowsWithRelations(criteria, ascending, position, window.size + 1, relations);

    return toPage(
      rows,
      window,
      (event) => encodeCursor([event.earliest.getTime(), event.causalDepth, event.id]),
      () => this.count(criteria),
      async () => {
        const key = keyOf(position!);
        const behind = ascending ? Prisma.sql`${ORDER_KEY} <= ${key}` : Prisma.sql`${ORDER_KEY} >= ${key}`;
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
      relations.causes ? Prisma.sql`, ${causesOfEventJson(id, relations.causeColumns)} AS causes` : Prisma.empty,
    ];
    const located = !relations.columns || relations.columns.includes("locationId");
    // Rows, not the page as one JSON value: json_agg over the page doubled Postgres's CPU a
    // page (3.2 to 6.3 ms) and saved Node nothing.
    const rows = await this.prisma.$queryRaw<PageRowJson[]>`
      SELECT p.* ${located ? Prisma.sql`, CASE WHEN l.id IS NULL THEN NULL ELSE ${locationJson("l")} END AS location` : Prisma.empty} ${Prisma.join(lists, " ")}
      FROM (${this.rowsSql(criteria, ascending, position, limit, relations.columns)}) p
      ${located ? Prisma.sql`LEFT JOIN locations l ON l.id = p."locationId"` : Prisma.empty}
      ORDER BY p.earliest ${direction}, p."causalDepth" ${direction}, p.id ${direction}`;
    return rows.map(({ sources, causes, ...row }) => ({
      ...row,
      ...(sources ? { sources: sourcesFromJson(sources) } : {}),
      ...(causes ? { causes: eventsFromJson(causes) } : {}),
    }));
  }

  private rows(criteria: EventCriteria, ascending: boolean, position: Position | null, limit: number): Promise<EventRow[]> {
    return this.prisma.$queryRaw<EventRow[]>(this.rowsSql(criteria, ascending, position, limit));
  }

  /** Up to `limit` events after `position` in the given direction (their `columns`, else all): the one keyset query. */
  private rowsSql(criteria: EventCriteria, ascending: boolean, position: Position | null, limit: number, columns?: readonly EventColumn[]): Prisma.Sql {
    const direction = ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`;
    const ahead = position
      ? ascending
        ? Prisma.sql`AND ${ORDER_KEY} > ${keyOf(position)}`
        : Prisma.sql`AND ${ORDER_KEY} < ${keyOf(position)}`
      : Prisma.empty;
    const select = (where: Prisma.Sql) => Prisma.sql`
      SELECT ${eventColumns("e", columns)} FROM events e
      WHERE ${where} ${ahead}
      ORDER BY e.earliest ${direction}, e.causal_depth ${direction}, e.id ${direction}
      LIMIT ${limit}`;
    const where = criteriaSql(criteria);
    const straddling = criteria.from ? straddlingStarts(criteria.from) : [];
    if (!criteria.from || criteria.dateMatch === "WITHIN" || !straddling.length) return select(where);
    // An event overlaps `from` if its window starts at or after it, or started before and
    // reaches it. As one condition (latest >= from) the order index is walked from a year
    // before `from`, through every event whose window ended before it; as two, one ordered scan
    // starts at `from` and the other probes the three instants where the date's period of an
    // event whose window straddles `from` can start (straddlingStarts: the window lies inside the
    // period, so the period spans `from` too). At a year's start there are none: one scan.
    const from = criteria.from;
    return Prisma.sql`
      SELECT * FROM (
        (${select(Prisma.sql`${where} AND e.earliest >= ${from}::timestamptz`)})
        UNION ALL
        (${select(Prisma.sql`${where} AND e.earliest < ${from}::timestamptz
                               AND e.occurred_at = ANY(${straddling.map((start) => start.toISOString())}::timestamptz[])`)})
      ) e
      ORDER BY e.earliest ${direction}, e."causalDepth" ${direction}, e.id ${direction}
      LIMIT ${limit}`;
  }

  async count(criteria: EventCriteria): Promise<number> {
    const [{ count }] = await this.prisma.$queryRaw<[{ count: number }]>`
      SELECT count(*)::int AS count FROM events e WHERE ${criteriaSql(criteria)}`;
    return count;
  }
}
