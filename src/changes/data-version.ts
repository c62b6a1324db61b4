import type { Prisma } from "../generated/prisma/client";

type Client = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * A version of everything a read can show, which every committed write advances: one statement,
 * index-only. Events change through the change log: its last readable position, its highest
 * sequence number (an entry committed after a later-numbered one) and how many committed entries
 * an older running transaction still holds back (so no commit leaves the three as they were).
 * Participants, places and articles change through their updated_at, which every write sets.
 */
export async function dataVersion(prisma: Client): Promise<string> {
  const [row] = await prisma.$queryRaw<[{ version: string }]>`
    SELECT concat_ws(':',
      (SELECT txid::text || '.' || seq::text FROM event_changes
        WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txid DESC, seq DESC LIMIT 1),
      (SELECT max(seq)::text FROM event_changes),
      (SELECT count(*)::text FROM event_changes WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())),
      (SELECT max(updated_at)::text FROM participants),
      (SELECT max(updated_at)::text FROM locations),
      (SELECT max(updated_at)::text FROM sources)) AS version`;
  return row.version;
}
