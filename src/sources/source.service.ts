import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { jsonInstant } from "../common/json-sql";
import type { Source } from "./source.type";

export const sourceSelect = {
  id: true,
  url: true,
  title: true,
  publisher: true,
  author: true,
  publishedAt: true,
} satisfies Prisma.SourceSelect;

/**
 * The articles one event (`eventId`, a column or a parameter) is drawn from, oldest first, as a
 * JSON array; decode it with sourcesFromJson. The one definition of that list, read by the
 * loader (ofEvents) and inside the timeline's page statement.
 */
export function sourcesOfEventJson(eventId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object(
             'id', s.id, 'url', s.url, 'title', s.title, 'publisher', s.publisher, 'author', s.author,
             'publishedAt', ${jsonInstant(Prisma.sql`s.published_at`)})
           ORDER BY s.published_at, s.id), '[]'::json)
    FROM event_sources es JOIN sources s ON s.id = es.source_id
    WHERE es.event_id = ${eventId})`;
}

/** Turns publishedAt, read as JSON (jsonInstant), back into a Date. */
export const sourcesFromJson = (list: ReadonlyArray<Omit<Source, "publishedAt"> & { publishedAt: number }>): Source[] =>
  list.map((source) => ({ ...source, publishedAt: new Date(source.publishedAt) }));

export class SourceService {
  constructor(private readonly prisma: DbClient) {}

  /** For each event id, the articles it is drawn from, oldest first. */
  async ofEvents(eventIds: readonly number[]): Promise<Map<number, Source[]>> {
    const rows = await this.prisma.$queryRaw<Array<{ id: number; list: Parameters<typeof sourcesFromJson>[0] }>>`
      SELECT k.id, ${sourcesOfEventJson(Prisma.sql`k.id`)} AS list FROM unnest(${[...eventIds]}::int[]) AS k(id)`;
    return new Map(rows.map((row) => [row.id, sourcesFromJson(row.list)]));
  }
}
