// Prisma migrations without Prisma's native schema engine, which cannot be downloaded here.
// We drive the engine's WASM build over a driver adapter instead. The folders
// (prisma/migrations/<timestamp>_<name>/migration.sql) and the `_prisma_migrations` table are
// Prisma's own, so `prisma migrate deploy` keeps working wherever the native engine exists.
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";

export type MigrationAdapterFactory = SqlMigrationAwareDriverAdapterFactory;

const NO_FILTERS = { externalTables: [], externalEnums: [] };
/** The session advisory lock the engine takes around applyMigrations (documented by Prisma). */
const PRISMA_MIGRATE_LOCK = 72707369;

/** Applies the migrations the database lacks, in name order; returns their names. */
export async function applyMigrations(adapter: MigrationAdapterFactory, migrationsDir: string): Promise<string[]> {
  // The stock adapters run migration scripts wrongly (see withWholeScripts): refuse them loudly.
  if (adapter instanceof PrismaPg || adapter instanceof PrismaPGlite) {
    throw new Error("applyMigrations needs pgMigrationAdapter(url) or pgliteMigrationAdapter(pglite)");
  }
  const migrationsList = await readMigrations(migrationsDir);
  const out = await withEngine(adapter, (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }));
  return out.appliedMigrationNames;
}

/** Names of the migration folders the database has not (successfully) applied. */
export async function pendingMigrations(adapter: MigrationAdapterFactory, migrationsDir: string): Promise<string[]> {
  const names = (await readMigrations(migrationsDir)).migrationDirectories.map((m) => m.path);
  // A plain query is enough: spinning up the engine for this would buy nothing.
  const conn = await adapter.connect();
  try {
    const sql = (text: string) => conn.queryRaw({ sql: text, args: [], argTypes: [] });
    const exists = await sql("SELECT to_regclass('_prisma_migrations') IS NOT NULL");
    if (!exists.rows[0]?.[0]) return names;
    const done = await sql(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(done.rows.map((row) => row[0] as string));
    return names.filter((name) => !applied.has(name));
  } finally {
    await conn.dispose();
  }
}

/** What migrations reported about stored data (the data_reports table), oldest first; none before it exists. */
export async function dataReports(adapter: MigrationAdapterFactory): Promise<Array<{ migration: string; kind: string; detail: string }>> {
  const conn = await adapter.connect();
  try {
    const sql = (text: string) => conn.queryRaw({ sql: text, args: [], argTypes: [] });
    const exists = await sql("SELECT to_regclass('data_reports') IS NOT NULL");
    if (!exists.rows[0]?.[0]) return [];
    const rows = await sql("SELECT migration, kind, detail FROM data_reports ORDER BY id");
    return rows.rows.map(([migration, kind, detail]) => ({ migration: String(migration), kind: String(kind), detail: String(detail) }));
  } finally {
    await conn.dispose();
  }
}

/** The SQL script turning one Prisma schema into another (`from` null = empty); "" when nothing changes. */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  const datamodel = (name: string, content: string) => ({ tag: "schemaDatamodel" as const, files: [{ path: name, content }] });
  const result = await withEngine(offlineAdapter, (engine) =>
    engine.diff({
      from: from === null ? { tag: "empty" } : datamodel("from.prisma", from),
      to: datamodel("schema.prisma", to),
      script: true,
      exitCode: true, // 0 = no difference, 2 = a script follows
      filters: NO_FILTERS,
    }),
  );
  return result.exitCode === 0 ? "" : (result.stdout ?? "");
}

/** A migration adapter for a Postgres server. One connection, as the native engine uses: the
 *  advisory lock and the migration run in the same session. */
export function pgMigrationAdapter(url: string): MigrationAdapterFactory {
  const base = new PrismaPg({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
  return withWholeScripts(base, (conn, script) => conn.underlyingDriver().query(script));
}

/** A migration adapter over an open PGlite, which stays open and usable by the app afterwards.
 *  Extensions the migrations create (pg_trgm) must be loaded when the PGlite is created. */
export function pgliteMigrationAdapter(pglite: PGlite): MigrationAdapterFactory {
  return withWholeScripts(new PrismaPGlite(pglite), (_conn, script) => pglite.exec(script), async () => {
    // PGlite is one session shared with the app: don't leave the engine's lock held in it.
    await pglite.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`);
  });
}

/**
 * Replaces the adapters' executeScript, which the engine uses for each migration.sql:
 * PrismaPg splits the script on every ";" (breaking function bodies, strings, comments) and runs
 * the pieces separately; PrismaPGlite does not await the script, so a failing migration is
 * recorded as applied. Sending the script whole (simple query protocol) also makes it atomic,
 * as with the native engine. */
function withWholeScripts<C extends SqlDriverAdapter>(
  base: { provider: "postgres"; adapterName: string; connect(): Promise<C> },
  run: (conn: C, script: string) => Promise<unknown>,
  beforeDispose?: () => Promise<void>,
): MigrationAdapterFactory {
  const patch = (conn: C): SqlDriverAdapter => {
    const dispose = conn.dispose.bind(conn);
    return Object.assign(conn, {
      executeScript: async (script: string) => {
        await run(conn, script).catch((e: unknown) => {
          throw asDriverError(e);
        });
      },
      dispose: async () => {
        await beforeDispose?.();
        await dispose();
      },
    });
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => patch(await base.connect()),
    // Nothing we call needs one, and PrismaPGlite's would be a fresh in-memory PGlite that our
    // executeScript (bound to the app's instance) would not even address.
    connectToShadowDb: () => Promise.reject(new Error("no shadow database for migrations here")),
  };
}

/** Postgres errors (pg's and PGlite's alike) as the engine reports them: with code and message. */
function asDriverError(e: unknown): unknown {
  const pgError = e as { code?: unknown; severity?: string; message?: string; detail?: string; column?: string; hint?: string };
  if (typeof pgError?.code !== "string" || typeof pgError.message !== "string") return e;
  const { code, severity = "ERROR", message, detail, column, hint } = pgError;
  return new DriverAdapterError({ kind: "postgres", code, severity, message, detail, column, hint });
}

/** Runs one engine command. The engine never disposes the connections it opens, so we do. */
async function withEngine<T>(adapter: MigrationAdapterFactory, command: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const conn = await connect();
    opened.push(conn);
    return conn;
  };
  const bound = bindMigrationAwareSqlAdapterFactory({
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: () => track(() => adapter.connect()),
    connectToShadowDb: () => track(() => adapter.connectToShadowDb()),
  });
  let engine: SchemaEngine | undefined;
  try {
    const debug = (line: string) => process.env.DEBUG_MIGRATIONS && process.stderr.write(line);
    engine = await (await loadEngine()).new({ datamodels: undefined }, debug, bound);
    return await command(engine);
  } catch (e) {
    // Errors thrown on the JS side reach us as "External error id#N"; put the original back.
    const id = /External error id#(\d+)/.exec(String((e as Error)?.message))?.[1];
    const original = id === undefined ? undefined : bound.errorRegistry.consumeError(Number(id))?.error;
    throw original ?? e;
  } finally {
    engine?.free();
    await Promise.allSettled(opened.map((conn) => conn.dispose()));
  }
}

// tsconfig's lib (ES2022, no DOM) has no WebAssembly types: declare the little used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

type EngineGlue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
let engineClass: Promise<typeof SchemaEngine> | undefined;

/** Instantiates the WASM engine by hand, as @prisma/internals does: the package's entry point
 *  imports the .wasm as an ES module, which Node cannot. Once per process: wasm-bindgen keeps
 *  module-level state, and a second instance crashes. */
function loadEngine(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const glueFile = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    // A real import(), hidden from TypeScript/swc, which would turn it into a require() of an ES
    // module: Jest's require cannot load one (its import() can, under --experimental-vm-modules).
    const nativeImport = new Function("url", "return import(url)") as (url: string) => Promise<EngineGlue>;
    const glue = await nativeImport(pathToFileURL(glueFile).href);
    const wasmFile = path.join(path.dirname(glueFile), "schema_engine_bg.wasm");
    const module = new WebAssembly.Module(await fs.readFile(wasmFile));
    // The engine arms a ~10 s timeout around its advisory lock and never clears it, which would
    // hold the process open that long after the work is done: unref its timers.
    const imports: Record<string, unknown> = { ...glue };
    for (const name of Object.keys(glue).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue.SchemaEngine;
  })();
  return engineClass;
}

/** Reads the migrations folder the way the Prisma CLI does (missing folder = no migrations). */
async function readMigrations(dir: string): Promise<MigrationList> {
  const lockfile = await fs.readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await fs
          .readFile(path.join(dir, name, "migration.sql"), "utf8")
          .then((value) => ({ tag: "ok" as const, value }), (e: Error) => ({ tag: "error" as const, value: e.message })),
      },
    })),
  );
  return { baseDir: dir, lockfile: { path: "migration_lock.toml", content: lockfile }, migrationDirectories, shadowDbInitScript: "" };
}

/** Diffing two datamodels needs no database, but the engine probes one when it starts: answer
 *  the probe (an existing "public" schema on Postgres 16) and refuse anything else. */
const offlineAdapter: MigrationAdapterFactory = (() => {
  const refuse = () => Promise.reject(new Error("diffSchemas has no database"));
  const conn: SqlDriverAdapter = {
    provider: "postgres",
    adapterName: "offline",
    queryRaw: (query) =>
      query.sql.includes("server_version_num")
        ? Promise.resolve({
            columnNames: ["exists", "version", "numeric_version"],
            columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
            rows: [[true, "PostgreSQL 16.0", 160000]],
          })
        : refuse(),
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    dispose: () => Promise.resolve(),
  };
  return { provider: "postgres", adapterName: "offline", connect: async () => conn, connectToShadowDb: async () => conn };
})();
