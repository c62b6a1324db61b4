import "reflect-metadata";
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import type { AddressInfo } from "node:net";
import type { GraphQLFormattedError } from "graphql";
import pino from "pino";
import type { DatabaseConfig } from "../../src/config";
import { openDatabase, pgliteExtensions, type Database } from "../../src/db/database";
import { createServer, type ServerDeps, type TimelineServer } from "../../src/server";
import { admin, assertTestDatabase, ENV, withDatabase } from "./test-database";

export interface GraphQLResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

/** The token the test servers accept for writes. */
export const TEST_API_TOKEN = "test-token-0123456789abcdef";

export interface TestApp {
  db: Database;
  /** How the database was opened: a second server (or change feed) can open it the same way. */
  databaseConfig: DatabaseConfig;
  server: TimelineServer;
  /** Runs an operation through Apollo with the real per-request context (loaders, services). */
  query<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    authorization?: string,
  ): Promise<GraphQLResult<TData>>;
  /** Runs an operation with the write token. */
  write<TData = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<TData>>;
  /** Starts the HTTP listener on a free loopback port; returns its base URL. */
  listen(): Promise<string>;
  /** Embedded only: closes the PGlite under the server for good, as a crashed database would leave it. */
  breakDatabase(): Promise<void>;
  /**
   * Embedded only: until the returned function is called, PGlite refuses every statement as a
   * closed one does ("PGlite is closed"); then it answers again, with its data. The embedded
   * database has no connection to cut, and the server cannot reopen a PGlite once closed: this
   * is its database going away and coming back while the process lives.
   */
  interruptDatabase(): () => void;
  close(): Promise<void>;
}

/**
 * A server over a database of this test file's own, copied from the run's seeded template:
 * a fresh PGlite from the dump, or CREATE DATABASE ... TEMPLATE on the server.
 */
export async function startTestApp(options: Partial<ServerDeps> = {}): Promise<TestApp> {
  const { db, databaseConfig, dispose, pglite } = await openTestDatabase();
  return serve(db, databaseConfig, options, dispose, pglite);
}

/**
 * Another server over `app`'s database, with connections of its own, as a second process
 * would be (through `url`, when given: a proxy in front of the same database); closing it
 * leaves the database to `app`. Only a Postgres server can be shared.
 */
export async function startServerBeside(app: TestApp, options: Partial<ServerDeps> = {}, url?: string): Promise<TestApp> {
  if (app.databaseConfig.kind !== "server") throw new Error("Only a database on a Postgres server can serve two servers");
  const databaseConfig: DatabaseConfig = { ...app.databaseConfig, url: url ?? app.databaseConfig.url };
  const db = await openDatabase(databaseConfig);
  return serve(db, databaseConfig, options, async () => undefined);
}

async function serve(
  db: Database,
  databaseConfig: DatabaseConfig,
  options: Partial<ServerDeps>,
  dispose: () => Promise<void>,
  pglite?: PGlite,
): Promise<TestApp> {
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const server = await createServer({ db, log, apiToken: TEST_API_TOKEN, ...options });
  const query = async (query: string, variables?: Record<string, unknown>, authorization?: string) => {
    const response = await server.apollo.executeOperation(
      { query, variables },
      { contextValue: server.createContext(authorization) },
    );
    if (response.body.kind !== "single") throw new Error("Expected a single GraphQL result");
    return response.body.singleResult as GraphQLResult<any>;
  };
  return {
    db,
    databaseConfig,
    server,
    query,
    write: (text, variables) => query(text, variables, `Bearer ${TEST_API_TOKEN}`),
    async listen() {
      const address: AddressInfo = await server.listen(0, "127.0.0.1");
      return `http://127.0.0.1:${address.port}`;
    },
    async breakDatabase() {
      if (!pglite) throw new Error("breakDatabase is for the embedded database");
      await pglite.close();
    },
    interruptDatabase() {
      if (!pglite) throw new Error("interruptDatabase is for the embedded database");
      // query, exec and transaction each ask _checkReady first: it is what refuses them once closed.
      const ready = pglite._checkReady;
      pglite._checkReady = async () => {
        throw new Error("PGlite is closed");
      };
      return () => {
        pglite._checkReady = ready;
      };
    },
    async close() {
      await server.stop();
      await db.close();
      await dispose();
    },
  };
}

async function openTestDatabase(): Promise<{ db: Database; databaseConfig: DatabaseConfig; dispose: () => Promise<void>; pglite?: PGlite }> {
  const serverUrl = process.env[ENV.serverUrl];
  const template = process.env[ENV.template];
  if (serverUrl && template) {
    const name = `${template}_f${randomBytes(3).toString("hex")}`;
    assertTestDatabase(name);
    await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`).then(() => undefined));
    const databaseConfig: DatabaseConfig = { kind: "server", url: withDatabase(serverUrl, name) };
    const db = await openDatabase(databaseConfig);
    return {
      db,
      databaseConfig,
      dispose: () => admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined)),
    };
  }
  const dump = process.env[ENV.dump];
  if (!dump) throw new Error("No test database: run the tests through jest (tests/support/global-setup.ts)");
  const pglite = await PGlite.create({
    loadDataDir: new Blob([await readFile(dump)]),
    extensions: pgliteExtensions,
  });
  const databaseConfig: DatabaseConfig = { kind: "embedded", dataDir: "" };
  const db = await openDatabase(databaseConfig, { pglite });
  return { db, databaseConfig, pglite, dispose: async () => (pglite.closed ? undefined : pglite.close()) };
}
