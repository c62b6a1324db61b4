import { Prisma } from "../generated/prisma/client";
import type { DatePrecision, EventCategory, EventStatus } from "../generated/prisma/enums";
import type { DbClient } from "../db/database";
import { group } from "../common/group";
import { parseId } from "../common/ids";
import { jsonInstant } from "../common/json-sql";
import type { Location } from "../locations/location.type";
import type { ParticipantOfEvent } from "../participants/participant.service";
import type { Source } from "../sources/source.type";

/** An event row as the API serves it; what Prisma's findMany and the raw timeline SQL both return. */
export interface EventRow {
  id: number;
  title: string;
  summary: string | null;
  occurredAt: Date;
  precision: DatePrecision;
  category: EventCategory;
  status: EventStatus;
  fatalities: number | null;
  injured: number | null;
  locationId: number | null;
}

/**
 * An event row with some of its relations read along with it (a timeline page reads them in
 * its own statement): EventResolver serves these as they are, and loads only what is missing.
 */
export interface EventWithRelations extends EventRow {
  location?: Location | null;
  participants?: ParticipantOfEvent[];
  sources?: Source[];
  causes?: EventRow[];
}

/** The columns of EventRow for raw SQL over `events e`. */
export const EVENT_COLUMNS = Prisma.sql`e.id, e.title, e.summary, e.occurred_at AS "occurredAt", e.precision,
  e.category, e.status, e.fatalities, e.injured, e.location_id AS "locationId"`;

/**
 * The key/value arguments of json_build_object for an event, from a row `alias` with the columns
 * of EVENT_COLUMNS; decode the object with eventsFromJson.
 */
export function eventJsonFields(alias: string): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  return Prisma.sql`'id', ${column("id")}, 'title', ${column("title")}, 'summary', ${column("summary")},
    'occurredAt', ${jsonInstant(column("occurredAt"))}, 'precision', ${column("precision")},
    'category', ${column("category")}, 'status', ${column("status")}, 'fatalities', ${column("fatalities")},
    'injured', ${column("injured")}, 'locationId', ${column("locationId")}`;
}

/**
 * The events one event (`effectId`, a column or a parameter) responded to, in time order, as a
 * JSON array; decode it with eventsFromJson. The one definition of that list, read by the loader
 * (causesOf) and inside the timeline's page statement.
 */
export function causesOfEventJson(effectId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object(${eventJsonFields("c")}) ORDER BY c."occurredAt", c.id), '[]'::json)
    FROM event_links l CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = l.cause_id) c
    WHERE l.effect_id = ${effectId})`;
}

export type EventJson = Omit<EventRow, "occurredAt"> & { occurredAt: number };

/** Turns the instants of events read as JSON back into Dates. */
export const eventsFromJson = <T extends EventJson>(list: readonly T[]): Array<Omit<T, "occurredAt"> & { occurredAt: Date }> =>
  list.map((event) => ({ ...event, occurredAt: new Date(event.occurredAt) }));

export const eventSelect = {
  id: true,
  title: true,
  summary: true,
  occurredAt: true,
  precision: true,
  category: true,
  status: true,
  fatalities: true,
  injured: true,
  locationId: true,
} satisfies Prisma.EventSelect;

const timeOrder = [{ occurredAt: "asc" }, { id: "asc" }] satisfies Prisma.EventOrderByWithRelationInput[];

export class EventService {
  constructor(private readonly prisma: DbClient) {}

  /** The event with this id, or null; a malformed id is BAD_USER_INPUT. */
  async byId(id: string): Promise<EventRow | null> {
    return this.prisma.event.findUnique({ where: { id: parseId(id) }, select: eventSelect });
  }

  /** For each event id, the events it responded to, in time order. */
  async causesOf(eventIds: readonly number[]): Promise<Map<number, EventRow[]>> {
    const rows = await this.prisma.$queryRaw<Array<{ id: number; list: EventJson[] }>>`
      SELECT k.id, ${causesOfEventJson(Prisma.sql`k.id`)} AS list FROM unnest(${[...eventIds]}::int[]) AS k(id)`;
    return new Map(rows.map((row) => [row.id, eventsFromJson(row.list)]));
  }

  /** For each event id, the events that responded to it, in time order. */
  async consequencesOf(eventIds: readonly number[]): Promise<Map<number, EventRow[]>> {
    const links = await this.prisma.eventLink.findMany({
      where: { causeId: { in: [...eventIds] } },
      select: { causeId: true, effect: { select: eventSelect } },
      orderBy: { effect: { occurredAt: "asc" } },
    });
    return group(links, (link) => link.causeId, (link) => link.effect);
  }

  /** For each source id, the events drawn from it, in time order. */
  async eventsOfSources(sourceIds: readonly number[]): Promise<Map<number, EventRow[]>> {
    const links = await this.prisma.eventSource.findMany({
      where: { sourceId: { in: [...sourceIds] } },
      select: { sourceId: true, event: { select: eventSelect } },
      orderBy: [{ event: timeOrder[0] }, { eventId: "asc" }],
    });
    return group(links, (link) => link.sourceId, (link) => link.event);
  }
}
