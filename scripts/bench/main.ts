// npm run bench [-- --events N] [--duration S] [--fresh] [--explain] [--only a,b,...,r,chain,fanout,drafts]
//                 [--peer postgraphile [--rounds N]]
//
// Loads a synthetic data set (1,000,000 events by default) into a Postgres server database named
// timeline_bench* (BENCH_DATABASE_URL), then drives timeline pages and the dashboard through the
// real server over HTTP with autocannon, and the same pages as one hand-written SQL statement
// straight through pg (the bound). Prints one table and writes it to BENCHMARKS.md ("Latest run").
// With --peer postgraphile, PostGraphile serves the same pages (every one checked to be the API's)
// and each page workload runs API and peer in --rounds interleaved rounds (default 3), reported as
// medians beside the API's (scripts/bench/peer-postgraphile.ts).
import "./production-env";
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "pg";
import pino from "pino";
import { decodeCursor } from "../../src/common/cursor";
import { openDatabase, type Database } from "../../src/db/database";
import { databaseConfig } from "../../src/config";
import { migrate } from "../../src/db/migrate";
import { PROJECT_ROOT } from "../../src/db/project-root";
import { createServer } from "../../src/server";
import { countEvents, describeMachine, ensureDatabase, readMarker, vacuumAnalyze, writeMarker } from "./database";
import { buildWorld, DATASET_VERSION, shapeFor } from "./dataset";
import { driveHttp, driveSql, type RunStats } from "./drive";
import { measureChain } from "./chain";
import { describeFanout, measureFanout } from "./fanout";
import { describeDrafting, measureDrafting } from "./drafting";
import { captureStatements, explain } from "./explain";
import { loadDataset } from "./load";
import { boundPageQuery, type BoundPage, type BoundQuery, type PageCriteria } from "./page-sql";
import { startPostgraphile, type RunningPeer } from "./peer-postgraphile";
import { machineLine, summaryLines, table, writeLatestRun, type Report, type Row } from "./report";
import { interleavedRounds, medianRun } from "./rounds";
import { criteriaOf, DASHBOARD_QUERY, PAGE_QUERY, PAGE_SIZE, workloads, type Workload } from "./workloads";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "8" },
    fresh: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
    only: { type: "string" },
    peer: { type: "string" },
    rounds: { type: "string" },
  },
});
const EVENTS = positive(args.events!, "--events");
const SECONDS = positive(args.duration!, "--duration");
const CONNECTIONS = positive(args.connections!, "--connections");
const WARM_UP_SECONDS = 2;
const PEERS = ["postgraphile"];
if (args.peer && !PEERS.includes(args.peer)) throw new Error(`--peer must be one of ${PEERS.join(", ")}, got "${args.peer}"`);
// Rounds interleave the API with a peer: without one, the API is measured once, as it always was.
if (args.rounds && !args.peer) throw new Error("--rounds needs --peer");
const ROUNDS = args.rounds ? positive(args.rounds, "--rounds") : 3;
const URL_ = process.env.BENCH_DATABASE_URL?.trim() || "postgres://postgres@127.0.0.1:5432/timeline_bench";
const print = (line = "") => console.log(line);

/** The fan-out alone (--only fanout): on a small database of its own, no data set to load. */
async function fanoutOnly(): Promise<void> {
  const url = URL_.replace(/\/([^/?]+)(\?|$)/, "/$1_fanout$2");
  print(`Database ${redact(url)} (fan-out only)`);
  await ensureDatabase(url, true);
  const db = await openDatabase({ kind: "server", url });
  try {
    await migrate(db);
    const server = await createServer({
      db,
      log: pino({ level: "silent" }),
      security: { rateLimit: { enabled: false, points: 1, windowMs: 1000 }, subscriptions: { perSocket: 1000, perClient: 2000, socketsPerClient: 100 } },
    });
    const address = await server.listen(0, "127.0.0.1");
    const machine = await describeMachine(url);
    print(`${machine.cpu}, ${machine.cores} cores, load average ${machine.loadAverage}; ${machine.postgres}; Node ${machine.node}`);
    const result = await measureFanout(db, server, `http://127.0.0.1:${address.port}`);
    print(describeFanout(result));
    print(`Load average after: ${(await describeMachine(url)).loadAverage}`);
    await server.stop();
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  if (args.only?.trim() === "fanout") return fanoutOnly();
  // Drafting reads no database: measured alone, without loading the data set.
  if (args.only?.trim() === "drafts") return print(describeDrafting(measureDrafting()));
  const shape = shapeFor(EVENTS);
  const world = buildWorld(shape);
  const marker = `timeline-bench v${DATASET_VERSION} seed=${shape.seed} events=${EVENTS}`;
  print(`Database ${redact(URL_)}`);
  let db = await prepare(args.fresh!);
  let load: Report["load"] = null;
  if ((await readMarker(URL_)) === marker && (await countEvents(URL_)) === EVENTS) {
    print(`Data set already loaded (${marker}); skipping the load`);
  } else {
    if ((await countEvents(URL_)) > 0) {
      print("The database holds another data set: recreating it");
      await db.close();
      db = await prepare(true);
    }
    print(`Loading ${EVENTS.toLocaleString("en-US")} events through the bulk path (src/ingest/bulk-load.ts)`);
    const loaded = await loadDataset(db, world, print);
    print(
      `Loaded ${loaded.events.toLocaleString("en-US")} events and ${loaded.sources.toLocaleString("en-US")} sources in ` +
        `${loaded.seconds.toFixed(1)} s: ${Math.round(loaded.rate).toLocaleString("en-US")} events/s`,
    );
    const vacuumStarted = performance.now();
    await vacuumAnalyze(URL_);
    print(`VACUUM ANALYZE in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`);
    await writeMarker(URL_, marker);
    load = { rate: loaded.rate, seconds: loaded.seconds };
  }

  const machine = await describeMachine(URL_);
  const server = await createServer({
    db,
    log: pino({ level: "silent" }),
    security: { rateLimit: { enabled: false, points: 1, windowMs: 1000 }, subscriptions: { perSocket: 1000, perClient: 2000, socketsPerClient: 100 } },
  });
  // Requests the server received: with statements counted the same way, after the server has
  // gone quiet, statements per request are exact (autocannon's count leaves out those in flight).
  let received = 0;
  server.httpServer.on("request", () => (received += 1));
  const settle = async () => {
    for (let last = -1; last !== db.statements.count; ) {
      last = db.statements.count;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const address = await server.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${address.port}`;
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length || !response.ok) throw new Error(`GraphQL error: ${JSON.stringify(body.errors ?? response.status)}`);
    return body.data;
  };

  const notes: string[] = [];
  const rows: Row[] = [];
  const plans: string[] = [];
  const only = args.only?.split(",").map((id) => id.trim());
  let peer: RunningPeer | null = null;
  try {
    if (args.peer) {
      peer = await startPostgraphile(URL_, print);
      notes.push(
        `Peer: ${peer.description}, on the same database; every page of each page workload checked to hold the API's events in the API's order; ` +
          `API and peer measured in ${ROUNDS} interleaved round(s) each (API first in odd rounds), medians; not the dashboard`,
      );
    }
    const hasStats = await graphql(`{ __type(name: "Query") { fields { name } } }`, {}).then((data) =>
      data.__type.fields.some((field: { name: string }) => field.name === "timelineStats"),
    );
    const statementsBySize = only && !only.includes("a") ? null : await statementsForSizes(db, graphql);
    for (const workload of workloads(world)) {
      if (only && !only.includes(workload.id)) continue;
      if (workload.kind === "dashboard" && !hasStats) {
        notes.push(`(${workload.id}) skipped: timelineStats is not in the schema`);
        print(`(${workload.id}) skipped: timelineStats is not in the schema`);
        continue;
      }
      const { bodies, bounds, criteria } = await prepareWorkload(workload, graphql);
      print(`(${workload.id}) ${workload.label}: ${bodies.length} request(s)${bounds.length ? ", first and last pages checked against the bound" : ""}`);
      const peerPages = peer && criteria ? await peer.pagesFor(workload, bodies, criteria, graphql) : null;
      if (peer && workload.kind === "dashboard") print(`    ${peer.label}: not measured (a dashboard, not a page)`);
      if (peerPages && "skipped" in peerPages) {
        const line = `(${workload.id}) ${peer!.label} skipped: it cannot be asked this page (${peerPages.skipped})`;
        print(`    ${line}`);
        notes.push(line);
      } else if (peerPages) {
        print(`    ${peer!.label}: ${peerPages.bodies.length} request(s); all ${peerPages.checked} page(s) checked: the API's events, in the API's order`);
      }
      if (args.explain) plans.push(await plansOf(db, workload, bodies[0], bounds[0], base));
      // Statements and requests summed over the API's runs: with a peer, one a round.
      let [apiStatements, apiRequests] = [0, 0];
      const runApi = () =>
        measure(() => driveHttp(base, bodies, WARM_UP_SECONDS, CONNECTIONS).then(settle), async () => {
          const [statements, requests] = [db.statements.count, received];
          const stats = await driveHttp(base, bodies, SECONDS, CONNECTIONS);
          await settle();
          apiStatements += db.statements.count - statements;
          apiRequests += received - requests;
          return stats;
        });
      let apiStats: RunStats;
      let peerStats: RunStats | null = null;
      if (peerPages && "bodies" in peerPages) {
        const peerBodies = peerPages.bodies;
        const runPeer = () =>
          measure(() => driveHttp(peer!.base, peerBodies, WARM_UP_SECONDS, CONNECTIONS), () => driveHttp(peer!.base, peerBodies, SECONDS, CONNECTIONS));
        const [apiRuns, peerRuns] = await interleavedRounds(ROUNDS, [runApi, runPeer]);
        apiRuns.forEach((run, round) => print(`    round ${round + 1}: ${describe("api", run)}; ${describe(peer!.label, peerRuns[round])}`));
        [apiStats, peerStats] = [medianRun(apiRuns), medianRun(peerRuns)];
      } else {
        apiStats = await runApi();
      }
      const api = { stats: apiStats, statements: apiStatements / apiRequests };
      const bound = bounds.length
        ? await measure(() => driveSql(URL_, bounds, WARM_UP_SECONDS, CONNECTIONS), async () => ({
            stats: await driveSql(URL_, bounds, SECONDS, CONNECTIONS),
            statements: 0,
          }))
        : null;
      const row: Row = { workload, api: api.stats, bound: bound?.stats ?? null, statementsPerRequest: api.statements, ...(peer ? { peer: peerStats } : {}) };
      rows.push(row);
      const medians = peerStats ? ` (medians of ${ROUNDS})` : "";
      const beside = peerStats ? `; ${describe(peer!.label, peerStats)}, API ÷ ${peer!.label} ${(apiStats.perSecond / peerStats.perSecond).toFixed(2)}` : "";
      print(`    ${describe("api", row.api)}${medians}${beside}${row.bound ? `; ${describe("bound", row.bound)}` : ""}; ${row.statementsPerRequest.toFixed(2)} statements/request`);
    }
    if (!only || only.includes("r")) {
      // (r): (a)'s request again and again, answered by the response cache (#16). Its own server,
      // the cache on; (a)–(i) above run with it off, so that none of them is a cache's figure.
      const cached = await createServer({
        db,
        log: pino({ level: "silent" }),
        security: { rateLimit: { enabled: false, points: 1, windowMs: 1000 } },
        responseCacheBytes: 64 * 1024 * 1024,
      });
      const cachedAddress = await cached.listen(0, "127.0.0.1");
      const cachedBase = `http://127.0.0.1:${cachedAddress.port}`;
      try {
        const repeated = workloads(world).find((workload) => workload.id === "a")!;
        const { bodies } = await prepareWorkload(repeated, graphql);
        await driveHttp(cachedBase, bodies.slice(0, 1), WARM_UP_SECONDS, CONNECTIONS);
        const statements = db.statements.count;
        const stats = await driveHttp(cachedBase, bodies.slice(0, 1), SECONDS, CONNECTIONS);
        await settle();
        const { hits, misses } = cached.responseCache!.stats();
        const line =
          `(r) (a) repeated, the response cache on: ${stats.perSecond.toFixed(0)} req/s, p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms, ` +
          `${((db.statements.count - statements) / Math.max(1, stats.requests)).toFixed(2)} statements/request, ${hits} hits and ${misses} misses in all`;
        print(line);
        notes.push(line);
      } finally {
        await cached.stop();
      }
    }
    if (!only || only.includes("chain")) {
      const chain = await measureChain(db);
      const line =
        `Chain of ${chain.length.toLocaleString("en-US")} linked events moved by one write: ${chain.ms.toFixed(0)} ms ` +
        `(median of ${chain.runs}), ${chain.statements} SQL statements, ${chain.moved.toLocaleString("en-US")} windows moved`;
      print(line);
      notes.push(line);
    }
    if (!only || only.includes("drafts")) {
      const line = describeDrafting(measureDrafting());
      print(line);
      notes.push(line);
    }
    if (!only || only.includes("fanout")) {
      const line = describeFanout(await measureFanout(db, server, base));
      print(line);
      notes.push(line);
    }
    const report: Report = {
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
      machine,
      events: EVENTS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      load,
      rows,
      statementsBySize,
      peer: peer ? { label: peer.label, rounds: ROUNDS } : null,
      notes,
      finishedLoadAverage: (await describeMachine(URL_)).loadAverage,
    };
    print();
    print(table(rows, peer?.label));
    print();
    print(`Machine: ${machineLine(report)}`);
    for (const line of summaryLines(report)) print(line);
    writeLatestRun(path.join(PROJECT_ROOT, "BENCHMARKS.md"), report);
    print("Wrote the table to BENCHMARKS.md (Latest run)");
    if (plans.length) {
      const file = path.join(PROJECT_ROOT, ".data", "bench", `plans-${EVENTS}.txt`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, plans.join("\n\n"));
      print(`Wrote the plans to ${path.relative(PROJECT_ROOT, file)}`);
    }
  } finally {
    await peer?.stop();
    await server.stop();
    await db.close();
  }
}

/** Creates (or recreates) and migrates the database, and opens it as the server would. */
async function prepare(fresh: boolean): Promise<Database> {
  if (await ensureDatabase(URL_, fresh)) print("Created the database");
  // DATABASE_POOL_SIZE as the server reads it: the pool is one of the settings the p99 study varies.
  const db = await openDatabase(databaseConfig({ DATABASE_URL: URL_, DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE }));
  const applied = await migrate(db);
  if (applied.length) print(`Applied ${applied.length} migration(s)`);
  return db;
}

type GraphQL = (query: string, variables: Record<string, unknown>) => Promise<any>;

/**
 * The request bodies of a workload and the bound statements for the same pages; each page the
 * API returns is checked against the bound's (same events in the same order, same relations).
 */
async function prepareWorkload(
  workload: Workload,
  graphql: GraphQL,
): Promise<{ bodies: string[]; bounds: BoundQuery[]; criteria: PageCriteria | null }> {
  if (workload.kind === "dashboard") {
    const variables = { filter: workload.filter };
    const data = await graphql(DASHBOARD_QUERY, variables);
    if (!data.timelineStats) throw new Error("timelineStats returned nothing");
    return { bodies: [JSON.stringify({ query: DASHBOARD_QUERY, variables })], bounds: [], criteria: null };
  }
  const criteria = await withClient((client) => criteriaOf(workload.filter, client));
  // (g): walk the pages first; the cursors found are where the measured requests start.
  const cursors: Array<string | null> = [null];
  if (workload.deepPages) {
    for (let page = 0; page < workload.deepPages; page++) {
      const data = await graphql(PAGE_QUERY, { first: PAGE_SIZE, after: cursors[cursors.length - 1], filter: workload.filter });
      if (!data.timeline.pageInfo.hasNextPage) break;
      cursors.push(data.timeline.pageInfo.endCursor);
    }
    cursors.shift();
  }
  const bodies: string[] = [];
  const bounds: BoundQuery[] = [];
  for (const after of cursors) {
    const variables = { first: PAGE_SIZE, after, filter: workload.filter };
    bodies.push(JSON.stringify({ query: PAGE_QUERY, variables }));
    const key = after ? (decodeCursor(after, "tii") as [number, number, number]) : null;
    bounds.push(boundPageQuery(criteria, PAGE_SIZE, key));
  }
  // The first and the last page of the workload must be the bound's pages.
  for (const index of new Set([0, bodies.length - 1])) {
    const { variables } = JSON.parse(bodies[index]);
    const data = await graphql(PAGE_QUERY, variables);
    const page = await boundPage(bounds[index]);
    compare(workload, data.timeline, page);
  }
  return { bodies, bounds, criteria };
}

async function withClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: URL_ });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function boundPage(query: BoundQuery): Promise<BoundPage> {
  return withClient(async (client) => (await client.query<{ page: BoundPage }>(query.text, query.values)).rows[0].page);
}

function compare(workload: Workload, api: any, bound: BoundPage): void {
  const nodes = api.edges.map((edge: any) => edge.node);
  const shape = (node: any) =>
    JSON.stringify([
      Number(node.id),
      new Date(node.occurredAt).getTime(),
      new Date(node.timeWindow.earliest).getTime(),
      node.location?.slug ?? null,
      node.participants.map((p: any) => `${p.role}:${p.participant.slug}`).sort(),
      node.sources.map((s: any) => s.url).sort(),
      node.causes.map((c: any) => Number(c.id)).sort((a: number, b: number) => a - b),
    ]);
  const ours = nodes.map(shape);
  const theirs = bound.nodes.map(shape);
  if (api.pageInfo.hasNextPage !== bound.hasNextPage || ours.length !== theirs.length || ours.some((s: string, i: number) => s !== theirs[i])) {
    throw new Error(`(${workload.id}) the API and the bound returned different pages:\n${ours.slice(0, 3).join("\n")}\nvs\n${theirs.slice(0, 3).join("\n")}`);
  }
  if (!nodes.length) throw new Error(`(${workload.id}) the page is empty: the workload measures nothing`);
}

/** Runs a warm-up, then the measured run. */
async function measure<T>(warmUp: () => Promise<unknown>, run: () => Promise<T>): Promise<T> {
  await warmUp();
  return run();
}

async function statementsForSizes(db: Database, graphql: GraphQL): Promise<{ small: number; large: number }> {
  const count = async (first: number) => {
    const before = db.statements.count;
    await graphql(PAGE_QUERY, { first, filter: {} });
    return db.statements.count - before;
  };
  return { small: await count(5), large: await count(100) };
}

/** One request's statements as the service sends them and the bound's, each EXPLAIN (ANALYZE, BUFFERS)ed. */
async function plansOf(db: Database, workload: Workload, body: string, bound: BoundQuery | undefined, base: string): Promise<string> {
  const statements = await captureStatements(db, async () => {
    const response = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
    await response.text();
  });
  const plans = await explain(URL_, [
    ...statements.map((statement, i) => ({ label: `service statement ${i + 1}`, ...statement })),
    ...(bound ? [{ label: "bound", ...bound }] : []),
  ]);
  const summary = plans.map((plan) => `${plan.label}: ${plan.executionMs.toFixed(2)} ms`).join(", ");
  print(`    plans: ${summary}`);
  return [
    `=== (${workload.id}) ${workload.label} — ${EVENTS} events`,
    ...plans.map((plan) => `--- ${plan.label} (${plan.executionMs} ms)\n${plan.text.trim()}\n\n${plan.plan}`),
  ].join("\n\n");
}

function describe(name: string, stats: RunStats): string {
  const failed = stats.failures ? `, ${stats.failures} FAILED` : "";
  return `${name} ${stats.perSecond.toFixed(0)} req/s, p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms${failed}`;
}

function positive(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return number;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
