import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { sourceJson, sourcesFromJson, type SourceJson } from "./source.columns";
import type { Source } from "./source.type";

/**
 * The articles one event (`eventId`, a column or a parameter) is drawn from, oldest first, as a
 * JSON array; decode it with sourcesFromJson. The one definition of that list, read by the
 * loader (ofEvents) and inside the timeline's page statement.
 */
export function sourcesOfEventJson(eventId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(${sourceJson("s")} ORDER BY s.published_at, s.id), '[]'::json)
    FROM event_sources es JOIN sources s ON s.id = es.source_id
    WHERE es.event_id = ${eventId})`;
}

export class SourceService {
  constructor(private readonly prisma: DbClient) {}

  /** For each event id, the articles it is drawn from, oldest first. */
  async ofEvents(eventIds: readonly number[]): Promise<Map<number, Source[]>> {
    const rows = await this.prisma.$queryRaw<Array<{ id: number; list: SourceJson[] }>>`
      SELECT k.id, ${sourcesOfEventJson(Prisma.sql`k.id`)} AS list FROM unnest(${[...eventIds]}::int[]) AS k(id)`;
    return new Map(rows.map((row) => [row.id, sourcesFromJson(row.list)]));
  }
}
