import type { Prisma } from "../generated/prisma/client";
import type { Prisma as PrismaClient } from "../db/database";
import { group } from "../common/group";
import type { Source } from "./source.type";

export const sourceSelect = {
  id: true,
  url: true,
  title: true,
  publisher: true,
  author: true,
  publishedAt: true,
} satisfies Prisma.SourceSelect;

export class SourceService {
  constructor(private readonly prisma: PrismaClient) {}

  /** For each event id, the articles it is drawn from, oldest first. */
  async ofEvents(eventIds: readonly number[]): Promise<Map<number, Source[]>> {
    const rows = await this.prisma.eventSource.findMany({
      where: { eventId: { in: [...eventIds] } },
      select: { eventId: true, source: { select: sourceSelect } },
      orderBy: [{ source: { publishedAt: "asc" } }, { sourceId: "asc" }],
    });
    return group(rows, (row) => row.eventId, (row) => row.source);
  }
}
