import os from "node:os";
import { Client } from "pg";

export const BENCH_DATABASE_PREFIX = "timeline_bench";

/** The database a URL names, refused unless it is a benchmark one (the script drops and fills it). */
export function benchDatabaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.startsWith(BENCH_DATABASE_PREFIX) || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to use database "${name}": benchmark databases are named ${BENCH_DATABASE_PREFIX}* (lower case, digits, _)`);
  }
  return name;
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates the database if it does not exist; drops it first when `fresh`. Returns whether it was created. */
export async function ensureDatabase(url: string, fresh: boolean): Promise<boolean> {
  const name = benchDatabaseName(url);
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  return withClient(maintenance.toString(), async (client) => {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  });
}

/** What the database holds, as the last load wrote it in the database's comment. */
export function readMarker(url: string): Promise<string | null> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ marker: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = current_database()",
    );
    return rows[0]?.marker ?? null;
  });
}

export function writeMarker(url: string, marker: string): Promise<void> {
  const name = benchDatabaseName(url);
  return withClient(url, async (client) => {
    await client.query(`COMMENT ON DATABASE "${name}" IS ${client.escapeLiteral(marker)}`);
  });
}

export function countEvents(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM events");
    return rows[0].n;
  });
}

/** VACUUM ANALYZE: visibility map for index-only scans, statistics for the planner. */
export function vacuumAnalyze(url: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query("VACUUM ANALYZE");
  });
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  loadAverage: string;
  postgres: string;
  node: string;
  nodeEnv: string;
}

export async function describeMachine(url: string): Promise<Machine> {
  const postgres = await withClient(url, async (client) => (await client.query<{ server_version: string }>("SHOW server_version")).rows[0].server_version);
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((n) => n.toFixed(1)).join(" "),
    postgres: `PostgreSQL ${postgres}`,
    node: process.version,
    nodeEnv: process.env.NODE_ENV ?? "unset",
  };
}
