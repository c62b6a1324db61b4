import { eventually } from "./patience";
import type { TestApp } from "./test-app";

/**
 * Waits until no entry of this database's change log is held back by a transaction still running
 * anywhere on the server (other test files' databases share its transaction ids). Until then the
 * data version moves on its own when that transaction ends (the log's readable end advances: a
 * cache miss or a new ETag, never a stale answer), so "the same request again is answered from
 * the cache / with 304" holds only after. PGlite has one connection: nothing is held back there.
 */
export async function changeLogSettled(app: TestApp): Promise<void> {
  await eventually(async () => {
    const [{ held }] = await app.db.prisma.$queryRaw<[{ held: boolean }]>`
      SELECT EXISTS (SELECT 1 FROM event_changes WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())) AS held`;
    return held ? undefined : true;
  }, "a transaction on the server to stop holding this database's change log back");
}
