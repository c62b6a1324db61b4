import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { migrate } from "../src/db/migrate";
import { assertMigrated } from "../src/db/migrate";
import { seedDatabase } from "./seed";

/** `npm run seed`: loads the seed into the configured database; running it again changes nothing. */
async function main(): Promise<void> {
  const db = await openDatabase(loadConfig().database);
  try {
    if (db.kind === "embedded") await migrate(db);
    else await assertMigrated(db);
    for (const { source, created, updated, events } of await seedDatabase(db)) {
      console.log(`${source.url}\n  ${events.length} events: ${created} created, ${updated} updated`);
    }
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
