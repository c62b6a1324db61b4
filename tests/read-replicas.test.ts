import pino from "pino";
import { ConfigError, databaseConfig, loadConfig } from "../src/config";
import { openDatabase, type Database } from "../src/db/database";
import { RecentWriters } from "../src/http/read-routing.plugin";
import { createServer, type TimelineServer } from "../src/server";
import { uniqueTag } from "./support/factories";
import { json } from "./support/http";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

// DATABASE_REPLICA_URLS: query operations read from a replica, round-robin; mutations, the
// fields they return, and the queries of a client that has just written read from the primary.
// On a Postgres server the "replica" here is the test database itself, reached through its own
// pool and counted apart, so the routing is checked without a standby; the embedded database
// has no replicas, and the configuration refuses them.

describe("configuration", () => {
  it("reads replicas of a server, comma-separated", () => {
    expect(
      databaseConfig({ DATABASE_URL: "postgres://db/main", DATABASE_REPLICA_URLS: " postgres://r1/main, postgresql://r2/main ," }),
    ).toEqual({ kind: "server", url: "postgres://db/main", poolSize: 10, replicaUrls: ["postgres://r1/main", "postgresql://r2/main"] });
    expect(databaseConfig({ DATABASE_URL: "postgres://db/main", DATABASE_REPLICA_URLS: "" })).toEqual({ kind: "server", url: "postgres://db/main", poolSize: 10 });
    expect(databaseConfig({ DATABASE_URL: "postgres://db/main", DATABASE_POOL_SIZE: "4" })).toEqual({ kind: "server", url: "postgres://db/main", poolSize: 4 });
  });

  it.each([
    [{ DATABASE_REPLICA_URLS: "postgres://r1/main" }, /DATABASE_REPLICA_URLS needs DATABASE_URL/],
    [{ DATABASE_URL: "postgres://db/main", DATABASE_REPLICA_URLS: "postgres://r1/main,mysql://r2" }, /DATABASE_REPLICA_URLS must be postgres/],
    [{ READ_AFTER_WRITE_MS: "-1" }, /READ_AFTER_WRITE_MS must be an integer/],
    [{ DATABASE_URL: "postgres://db/main", DATABASE_POOL_SIZE: "0" }, /DATABASE_POOL_SIZE must be an integer/],
  ])("refuses %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("RecentWriters", () => {
  it("keeps a client on the primary for the window after its last write, and forgets it after", () => {
    let now = 1_000;
    const writers = new RecentWriters(5_000, () => now);
    expect(writers.wroteRecently("a")).toBe(false);
    writers.wrote("a");
    now += 4_999;
    expect([writers.wroteRecently("a"), writers.wroteRecently("b")]).toEqual([true, false]);
    now += 1;
    expect(writers.wroteRecently("a")).toBe(false);
  });
});

describe("routing", () => {
  let app: TestApp;
  let db: Database;
  let server: TimelineServer;

  beforeAll(async () => {
    app = await startTestApp();
    const config = app.databaseConfig;
    // A second server over the same database, this time with a replica: on a Postgres server, the
    // same database through a pool of its own; the embedded database cannot have one.
    db = config.kind === "server" ? await openDatabase({ ...config, replicaUrls: [config.url, config.url] }) : app.db;
    server = await createServer({ db, log: pino({ level: "silent" }), apiToken: TEST_API_TOKEN, readAfterWriteMs: 60_000 });
  });
  afterAll(async () => {
    await server.stop();
    if (db !== app.db) await db.close();
    await app.close();
  });

  async function run(query: string, variables: Record<string, unknown> = {}, authorization?: string) {
    const [primaryBefore, replicaBefore] = [db.statements.count - db.replicaStatements.count, db.replicaStatements.count];
    const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.createContext(authorization) });
    if (response.body.kind !== "single") throw new Error("single result expected");
    expect(response.body.singleResult.errors).toBeUndefined();
    return {
      data: response.body.singleResult.data as Record<string, any>,
      primary: db.statements.count - db.replicaStatements.count - primaryBefore,
      replica: db.replicaStatements.count - replicaBefore,
    };
  }

  const PAGE = `{ timeline(first: 5) { edges { node { id title participants { role } } } } timelineStats { count } }`;

  it("has as many replicas as configured (none for the embedded database)", () => {
    expect(db.replicas).toHaveLength(db.kind === "server" ? 2 : 0);
  });

  it("reads a query from a replica, and never from the primary", async () => {
    const { data, primary, replica } = await run(PAGE);
    expect(data.timeline.edges.length).toBeGreaterThan(0);
    if (db.kind === "server") expect({ primary, replica }).toEqual({ primary: 0, replica: 2 });
    else expect({ primary, replica }).toEqual({ primary: 2, replica: 0 });
  });

  it("writes on the primary, reads the mutation's fields there, then keeps that client there", async () => {
    const writer = `Bearer ${TEST_API_TOKEN}`;
    const tag = uniqueTag();
    const created = await run(
      `mutation($input: EventInput!) { createEvent(input: $input) { id title participants { participant { slug } } location { slug } } }`,
      { input: { title: `Replica check ${tag}`, date: "2024-02-02", category: "OTHER", participants: [{ participant: "iran", role: "ACTOR" }] } },
      writer,
    );
    expect(created.replica).toBe(0);
    expect(created.data.createEvent.participants).toEqual([{ participant: { slug: "iran" } }]);

    // The writer's next query reads from the primary: it sees its own event at once.
    const own = await run(`query($id: ID!) { event(id: $id) { title } }`, { id: created.data.createEvent.id }, writer);
    expect(own.data.event.title).toBe(`Replica check ${tag}`);
    expect(own.replica).toBe(0);

    // Anyone else reads from a replica.
    const other = await run(`query($id: ID!) { event(id: $id) { title } }`, { id: created.data.createEvent.id });
    if (db.kind === "server") expect({ primary: other.primary, replica: other.replica }).toEqual({ primary: 0, replica: 1 });
    else expect(other.replica).toBe(0);
  });

  it("reports each replica at /health", async () => {
    const address = await server.listen(0, "127.0.0.1");
    const response = await fetch(`http://127.0.0.1:${address.port}/health`);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ status: "ok", database: { kind: db.kind, ok: true } });
    if (db.kind === "server") expect(body.replicas).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    else expect(body.replicas).toBeUndefined();
  });

  it("answers /health with 200 but 'degraded' while a replica is unreachable (a Postgres server only)", async () => {
    const config = app.databaseConfig;
    if (config.kind !== "server") {
      expect(db.replicas).toHaveLength(0);
      return;
    }
    const unreachable = config.url.replace(/\/[^/?]+(\?|$)/, "/timeline_test_no_such_database$1");
    const degradedDb = await openDatabase({ ...config, replicaUrls: [unreachable] });
    const degraded = await createServer({ db: degradedDb, log: pino({ level: "silent" }) });
    try {
      const address = await degraded.listen(0, "127.0.0.1");
      const response = await fetch(`http://127.0.0.1:${address.port}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "degraded", database: { ok: true }, replicas: [{ ok: false }] });
    } finally {
      await degraded.stop();
      await degradedDb.close();
    }
  });

  it("serves the same answers from a replica as from the primary", async () => {
    const viaServer = await run(PAGE);
    const viaApp = await app.query(PAGE);
    expect(viaServer.data).toEqual(viaApp.data);
  });
});
