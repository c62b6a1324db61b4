import type { Logger } from "pino";
import type { Database } from "../db/database";
import { assertMigrated, migrate } from "../db/migrate";
import { isEmpty, seedDatabase } from "../../seed/seed";

/**
 * What `npm start` does before serving. The embedded database is the zero-setup default, so it
 * is migrated and, when empty, seeded; a server database is someone's to manage, so it is only
 * checked (`npm run db:migrate` and `npm run seed` are explicit there).
 */
export async function prepareDatabase(db: Database, log: Logger): Promise<void> {
  if (db.kind === "server") return assertMigrated(db);
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, "applied migrations to the embedded database");
  if (await isEmpty(db)) {
    const results = await seedDatabase(db);
    log.info({ events: results.reduce((sum, result) => sum + result.created, 0) }, "seeded the empty embedded database");
  }
}
