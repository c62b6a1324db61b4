import type { Logger } from "pino";
import type { Database } from "./database";
import { migrate, pending } from "./migrate";
import { isEmpty, seedDatabase } from "../../seed/seed";

export class DatabaseBehindError extends Error {
  override name = "DatabaseBehindError";
  constructor(readonly pending: string[]) {
    super(`The database lacks ${pending.length} migration(s) (${pending.join(", ")}): run \`npm run db:migrate\`, then start again`);
  }
}

/** Refuses a database whose migrations are behind the code. */
export async function assertMigrated(db: Database): Promise<void> {
  const behind = await pending(db);
  if (behind.length) throw new DatabaseBehindError(behind);
}

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
