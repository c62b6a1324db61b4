import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { group } from "../common/group";
import { parseId } from "../common/ids";
import { eventJson, eventSelect, eventsFromJson, type EventColumn, type EventJson, type EventRow } from "./event.columns";

/**
 * The events one event (`effectId`, a column or a parameter) responded to, in time order, as a
 * JSON array; decode it with eventsFromJson. The one definition of that list, read by the loader
 * (causesOf) and inside the timeline's page statement.
 */
export function causesOfEventJson(effectId: Prisma.Sql, columns?: readonly EventColumn[]): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(${eventJson("c", columns)} ORDER BY c.earliest, c.causal_depth, c.id), '[]'::json)
    FROM event_links l JOIN events c ON c.id = l.cause_id
    WHERE l.effect_id = ${effectId})`;
}

const timeOrder = [{ earliest: "asc" }, { causalDepth: "asc" }, { id: "asc" }] satisfies Prisma.EventOrderByWithRelationInput[];

export class EventService {
  constructor(private readonly prisma: DbClient) {}

  /** The event with this id, or null; a malformed id is BAD_USER_INPUT. */
  async byId(id: string): Promise<EventRow | null> {
    return this.prisma.event.findUnique({ where: { id: parseId(id) }, select: eventSelect });
  }

  /** The events with these ids, by id: one statement for any number. */
  async byIds(eventIds: readonly number[]): Promise<Map<number, EventRow>> {
    const rows = await this.prisma.event.findMany({ where: { id: { in: [...eventIds] } }, select: eventSelect });
    return new Map(rows.map((row) => [row.id, row]));
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
      orderBy: [{ effect: { earliest: "asc" } }, { effect: { causalDepth: "asc" } }, { effectId: "asc" }],
    });
    return group(links, (link) => link.causeId, (link) => link.effect);
  }

  /** For each source id, the events drawn from it, in time order. */
  async eventsOfSources(sourceIds: readonly number[]): Promise<Map<number, EventRow[]>> {
    const links = await this.prisma.eventSource.findMany({
      where: { sourceId: { in: [...sourceIds] } },
      select: { sourceId: true, event: { select: eventSelect } },
      orderBy: [{ event: timeOrder[0] }, { event: timeOrder[1] }, { eventId: "asc" }],
    });
    return group(links, (link) => link.sourceId, (link) => link.event);
  }
}
