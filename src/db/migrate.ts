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
