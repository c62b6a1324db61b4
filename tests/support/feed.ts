import { eventually } from "./patience";
import type { TestApp } from "./test-app";

/**
 * Waits until the change feed shows every entry written so far. A reader takes only entries
 * older than the oldest transaction running anywhere on the server (the horizon is the
 * cluster's): a test file writing in another database at the same moment holds our entries back
 * for as long as its transaction lasts. A wait on that condition, bounded, not on the clock.
 */
export async function feedSettled(app: TestApp): Promise<void> {
  await eventually(async () => {
    const [{ ready }] = await app.db.prisma.$queryRaw<[{ ready: boolean }]>`
      SELECT coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) AS ready FROM event_changes`;
    return ready || undefined;
  }, "the feed's horizon to pass the last entry");
}
