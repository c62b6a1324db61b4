import type { Prisma } from "../generated/prisma/client";

type Client = Pick<Prisma.TransactionClient, "$queryRaw">;

/** A position in the change feed: the writing transaction's id (xid8) and the entry's sequence number, as text. */
export interface FeedPosition {
  txid: string;
  seq: string;
}

/**
 * Removes the change log's entries recorded before `cutoff`, in one statement: everything up to
 * the last such entry in feed order (the feed stays a contiguous tail), and records that position
 * as the horizon, so that a reader whose cursor lies before it is told to resync (CURSOR_EXPIRED)
 * rather than silently given a feed with a gap. Revisions older than the cutoff go with them.
 */
export async function pruneChanges(prisma: Client, cutoff: Date): Promise<{ removed: number; horizon: FeedPosition | null }> {
  const [result] = await prisma.$queryRaw<[{ removed: number; txid: string | null; seq: string | null }]>`
    WITH last AS (
      SELECT txid, seq FROM event_changes
      WHERE at < ${cutoff}::timestamptz AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY txid DESC, seq DESC LIMIT 1
    ), gone AS (
      DELETE FROM event_changes c USING last WHERE (c.txid, c.seq) <= (last.txid, last.seq) RETURNING 1
    ), horizon AS (
      INSERT INTO change_log_horizon (id, txid, seq, at) SELECT 1, txid, seq, now() FROM last
      ON CONFLICT (id) DO UPDATE SET txid = EXCLUDED.txid, seq = EXCLUDED.seq, at = EXCLUDED.at
      RETURNING txid::text AS txid, seq::text AS seq
    )
    SELECT (SELECT count(*) FROM gone)::int AS removed, (SELECT txid FROM horizon) AS txid, (SELECT seq FROM horizon) AS seq`;
  return { removed: result.removed, horizon: result.txid && result.seq ? { txid: result.txid, seq: result.seq } : null };
}

/** Where the log was last pruned, or null if it never was. */
export async function prunedUpTo(prisma: Client): Promise<FeedPosition | null> {
  const [row] = await prisma.$queryRaw<FeedPosition[]>`SELECT txid::text AS txid, seq::text AS seq FROM change_log_horizon WHERE id = 1`;
  return row ?? null;
}

/** Feed order of two positions: (txid, seq), both unsigned integers as decimal text. */
export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  const number = (x: string, y: string) => (x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0);
  return number(a.txid, b.txid) || number(a.seq, b.seq);
}

/** "90d", "12h", "30m": how far back to keep, as milliseconds; null for anything else. */
export function parseAge(text: string): number | null {
  const match = /^(\d{1,6})([dhm])$/.exec(text.trim());
  if (!match) return null;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as "d" | "h" | "m"];
  return Number(match[1]) * unit;
}
