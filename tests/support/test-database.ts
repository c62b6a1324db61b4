import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

/**
 * How a test run reaches its database, handed from globalSetup to the test files via env:
 * either a PGlite data dir dump (embedded), or a template database on a Postgres server.
 */
export const ENV = {
  dump: "TIMELINE_TEST_PGLITE_DUMP",
  serverUrl: "TIMELINE_TEST_SERVER_URL",
  template: "TIMELINE_TEST_TEMPLATE",
} as const;

export const TEST_DATABASE_PREFIX = "timeline_test_";

export function dumpPath(): string {
  return path.join(os.tmpdir(), `timeline-test-${process.pid}-${randomBytes(4).toString("hex")}.tar.gz`);
}

export function randomDatabaseName(): string {
  return `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs admin statements (CREATE/DROP DATABASE) on the server's maintenance database. */
export async function admin(url: string, run: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

/** Refuses to touch a database whose name does not mark it as a test one. */
export function assertTestDatabase(name: string): void {
  if (!name.startsWith(TEST_DATABASE_PREFIX) || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to use database "${name}": test databases are named ${TEST_DATABASE_PREFIX}*`);
  }
}
