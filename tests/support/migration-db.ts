import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteExtensions } from "../../src/db/database";
import { MIGRATIONS_DIR } from "../../src/db/migrate";
import { applyMigrations, pgliteMigrationAdapter } from "../../src/db/migrations";

/**
 * An embedded database as it was before the migration named `name` (its suffix, as in
 * "time_windows"): every migration before it applied, none from it on. `migrate()` applies the
 * rest, as an upgrade would, and returns their names.
 */
export interface DatabaseBefore {
  pglite: PGlite;
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export async function databaseBefore(name: string): Promise<DatabaseBefore> {
  const migrations = (await readdir(MIGRATIONS_DIR)).sort();
  const cut = migrations.findIndex((entry) => entry.endsWith(`_${name}`));
  if (cut < 0) throw new Error(`no migration named ${name}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "timeline-migrations-"));
  const later = new Set(migrations.slice(cut).filter((entry) => /^\d+_/.test(entry)));
  await cp(MIGRATIONS_DIR, dir, { recursive: true, filter: (source) => !later.has(path.relative(MIGRATIONS_DIR, source).split(path.sep)[0]) });
  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  await applyMigrations(pgliteMigrationAdapter(pglite), dir);
  return {
    pglite,
    migrate: () => applyMigrations(pgliteMigrationAdapter(pglite), MIGRATIONS_DIR),
    close: async () => {
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
