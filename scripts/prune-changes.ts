// Prunes the change log: `npm run db:prune-changes -- --older-than 90d` removes the feed's
// entries recorded more than 90 days ago (also `12h`, `30m`), from the configured database
// (DATABASE_URL, else the embedded one). Readers whose cursor lies before what is kept get
// CURSOR_EXPIRED and resync; revisions older than that go too.
import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { assertMigrated, migrate } from "../src/db/migrate";
import { parseAge, pruneChanges } from "../src/changes/change-pruning";

async function main(args: string[]): Promise<number> {
  const at = args.indexOf("--older-than");
  const age = at >= 0 ? parseAge(args[at + 1] ?? "") : null;
  if (age === null) {
    console.error("usage: npm run db:prune-changes -- --older-than 90d   (d, h or m)");
    return 2;
  }
  const { database: config } = loadConfig();
  const db = await openDatabase(config);
  try {
    if (db.kind === "embedded") await migrate(db);
    else await assertMigrated(db);
    const cutoff = new Date(Date.now() - age);
    const { removed, horizon } = await pruneChanges(db.prisma, cutoff);
    console.log(
      removed
        ? `Removed ${removed} change(s) recorded before ${cutoff.toISOString()}; cursors from before that now get CURSOR_EXPIRED`
        : `Nothing recorded before ${cutoff.toISOString()}`,
    );
    if (horizon) console.log(`The log now starts after transaction ${horizon.txid}, entry ${horizon.seq}`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
