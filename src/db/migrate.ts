import path from "node:path";
import { PROJECT_ROOT } from "./project-root";
import type { Database } from "./database";
import { applyMigrations, pendingMigrations } from "./migrations";

/** The committed migrations, in Prisma's standard layout. */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma", "migrations");

/** Applies what the database lacks; returns the names applied. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await applyMigrations(db.migrationAdapter, MIGRATIONS_DIR);
  if (applied.length) await db.refreshTypes();
  return applied;
}

/** Names of committed migrations the database has not applied. */
export function pending(db: Database): Promise<string[]> {
  return pendingMigrations(db.migrationAdapter, MIGRATIONS_DIR);
}

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
