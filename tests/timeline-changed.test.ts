import type { Client } from "graphql-ws";
import { Client as PgClient } from "pg";
import pino from "pino";
import { createChangeFeed } from "../src/live/create-change-feed";
import { ingestArticle, uniqueTag } from "./support/factories";
import { liveSubscriptions, LogCapture, nextResult, wsClient, type Result } from "./support/live";
import { feedSettled } from "./support/feed";
import { eventually } from "./support/patience";
import { startServerBeside, startTestApp, type TestApp } from "./support/test-app";
import { ENV } from "./support/test-database";

// timelineChanged (contract): the change feed, live. With `after` it replays from that cursor,
// then goes on live with nothing lost or repeated in between; with a filter, the changes of
// events that match before or after; and it waits out a dropped database connection.

let app: TestApp;
let base: string;
const clients: Client[] = [];
const onServer = Boolean(process.env[ENV.serverUrl]);
const hubLog = new LogCapture();
/** What the hub logs when a read of the log fails and it will try again. */
const HUB_READ_FAILED = "feed hub: could not read the change log; trying again";
/** The application_name of a second server's connections, to find them among the database's backends. */
const BESIDE = "timeline-test-beside";

beforeAll(async () => {
  app = await startTestApp({ log: pino({ level: "warn" }, hubLog) });
  base = await app.listen();
});
afterEach(() => Promise.all(clients.splice(0).map((client) => client.dispose())));
afterAll(() => app.close());

const TIMELINE_CHANGED = `subscription($filter: TimelineFilter, $after: String) {
  timelineChanged(filter: $filter, after: $after) { cursor kind eventId version fields event { title } }
}`;

interface Delivered {
  cursor: string;
  kind: string;
  eventId: string;
  version: number;
  fields: string[];
  event: { title: string } | null;
}

function subscribe(variables: Record<string, unknown>, on = base): AsyncIterator<Result> {
  const client = wsClient(on);
  clients.push(client);
  return client.iterate({ query: TIMELINE_CHANGED, variables })[Symbol.asyncIterator]();
}

async function next(results: AsyncIterator<Result>): Promise<Delivered> {
  const result = await nextResult(results);
  expect(result.errors).toBeUndefined();
  return (result.data as { timelineChanged: Delivered }).timelineChanged;
}

/** Waits until the server holds `count` live subscriptions (support/live.ts says why). */
const subscribed = (count: number) => liveSubscriptions(app, count);

const settled = () => feedSettled(app);

/** The feed's end now: the cursor of its last entry. */
async function feedEnd(): Promise<string | null> {
  await settled();
  let after: string | null = null;
  for (;;) {
    const result: { data?: { changes: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } = await app.query(
      `query($after: String) { changes(after: $after) { pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    const { hasNextPage, endCursor }: { hasNextPage: boolean; endCursor: string | null } = result.data!.changes.pageInfo;
    after = endCursor ?? after;
    if (!hasNextPage) return after;
  }
}

const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { id } }`;
const create = async (input: Record<string, unknown> = {}) => {
  const result = await app.write<{ createEvent: { id: string } }>(CREATE, {
    input: { title: `Live ${uniqueTag()}`, date: "2024-06-01", category: "OTHER", ...input },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent.id;
};

/**
 * A createEvent through `server`, sent again while it answers SERVICE_UNAVAILABLE: after its
 * connections were cut, a write can meet one the pool has not yet dropped (refused before
 * anything was written), as a client would retry it.
 */
async function createThrough(server: TestApp): Promise<string> {
  const input = { title: `Live ${uniqueTag()}`, date: "2024-06-03", category: "OTHER" };
  for (let attempt = 1; ; attempt++) {
    const result = await server.write<{ createEvent: { id: string } }>(CREATE, { input });
    if (result.data?.createEvent) return result.data.createEvent.id;
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect(attempt).toBeLessThan(5);
  }
}

/** What identifies an entry, delivered or read from the feed. */
const entry = ({ cursor, kind, eventId, version }: { cursor: string; kind: string; eventId: string; version: number }) => ({ cursor, kind, eventId, version });

/** Every entry of the feed after `after`, as `changes` pages through it. */
async function changesAfter(after: string | null): Promise<Array<ReturnType<typeof entry>>> {
  await settled();
  const entries: Array<ReturnType<typeof entry>> = [];
  for (let cursor = after; ; ) {
    const result = await app.query<{ changes: { edges: Array<{ node: Delivered }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
      `query($after: String) { changes(after: $after) { edges { node { cursor kind eventId version } } pageInfo { hasNextPage endCursor } } }`,
      { after: cursor },
    );
    expect(result.errors).toBeUndefined();
    entries.push(...result.data!.changes.edges.map((edge) => entry(edge.node)));
    cursor = result.data!.changes.pageInfo.endCursor ?? cursor;
    if (!result.data!.changes.pageInfo.hasNextPage) return entries;
  }
}

const update = async (id: string, input: Record<string, unknown>) =>
  expect((await app.write(`mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id } }`, { id, input })).errors).toBeUndefined();
const remove = async (id: string) => expect((await app.write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id })).errors).toBeUndefined();

describe("timelineChanged", () => {
  it("replays from `after`, then goes on live, each change once and in order", async () => {
    const start = await feedEnd();
    const a = await create();
    await update(a, { title: `Renamed ${uniqueTag()}` });
    const results = subscribe({ after: start });
    expect([await next(results), await next(results)].map((c) => [c.kind, c.eventId, c.version])).toEqual([
      ["CREATED", a, 1],
      ["UPDATED", a, 2],
    ]);
    const b = await create();
    const live = await next(results);
    expect([live.kind, live.eventId]).toEqual(["CREATED", b]);
    await remove(a);
    const tombstone = await next(results);
    expect([tombstone.kind, tombstone.eventId, tombstone.version, tombstone.event]).toEqual(["DELETED", a, 3, null]);

    // Resumed from the last cursor it was given, a second subscriber sees exactly what came after.
    const c = await create();
    const resumed = subscribe({ after: live.cursor });
    expect([(await next(resumed)).eventId, (await next(resumed)).eventId]).toEqual([a, c]);
    expect((await next(results)).eventId).toBe(c);
  });

  it("without `after`, starts at the feed's end; with a filter, delivers what matched before or after", async () => {
    await subscribed(0); // the earlier tests' subscribers have been let go
    const earlier = await create({ category: "PROTEST" });
    // "Now" is the feed's readable end: on a server, another database's transaction can hold an
    // entry back for a moment, and a subscriber starting then still receives it.
    await settled();
    const results = subscribe({ filter: { categories: ["PROTEST"] } });
    await subscribed(1);
    const first = await create({ category: "PROTEST" });
    const delivered = await next(results);
    // Not the event written before it subscribed.
    expect([delivered.eventId === earlier, delivered.eventId]).toEqual([false, first]);
    await create({ category: "RIOT" }); // never matches
    const leaving = await create({ category: "PROTEST" });
    await update(leaving, { category: "LEGAL" });
    await update(leaving, { title: `Elsewhere ${uniqueTag()}` }); // matches neither before nor after
    const last = await create({ category: "PROTEST" });
    const seen = [await next(results), await next(results), await next(results)];
    expect(seen.map((c) => [c.kind, c.eventId])).toEqual([
      ["CREATED", leaving],
      ["UPDATED", leaving],
      ["CREATED", last],
    ]);
    expect(seen[1].fields).toEqual(["category"]);
  });

  it("without `after`, starts after the last entry even where its sequence number gains a digit", async () => {
    await subscribed(0);
    // Entries of one transaction numbered across a power of ten (…, 99, 100, …): ordered as text, 99 would be the last.
    const [{ last }] = await app.db.prisma.$queryRaw<[{ last: bigint }]>`
      SELECT last_value AS last FROM event_changes_seq_seq`;
    const below = 10 ** String(Number(last) + 3).length - 3;
    await app.db.prisma.$queryRaw`SELECT setval('event_changes_seq_seq', ${below}::bigint)`;
    const tag = uniqueTag();
    await ingestArticle(app, {
      events: ["a", "b", "c", "d"].map((key) => ({ key, title: `Numbered ${key} ${tag}`, date: "2024-06-01", category: "OTHER" })),
    });
    await settled();
    const results = subscribe({});
    await subscribed(1);
    const next1 = await create();
    expect((await next(results)).eventId).toBe(next1);
  });

  it("refuses a cursor or a filter it cannot use, at once", async () => {
    for (const variables of [{ after: "nonsense" }, { filter: { near: { latitude: 91, longitude: 0, radiusKm: 5 } } }]) {
      const results = subscribe(variables);
      const { value, done } = await results.next();
      expect(done).toBe(false);
      expect((value as Result).errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  // The embedded database's drop: PGlite refuses every statement as a closed one does, then
  // answers again (TestApp.interruptDatabase); the server cannot reopen a closed PGlite, and its
  // one connection serves writers and the hub alike, so a write during the drop is refused whole.
  it("waits out a forced drop of its database connection: every change before, during and after it, once and in order", async () => {
    if (onServer) await resumesAfterBackendsTerminated();
    else await resumesAfterEmbeddedDrop();
  });

  async function resumesAfterEmbeddedDrop() {
    const start = await feedEnd();
    const results = subscribe({ after: start });
    const a = await create();
    await update(a, { title: `Renamed ${uniqueTag()}` });
    const received = [await next(results), await next(results)];

    const failures = hubLog.count(HUB_READ_FAILED);
    const restore = app.interruptDatabase();
    try {
      const refused = await app.write(CREATE, { input: { title: `Refused ${uniqueTag()}`, date: "2024-06-02", category: "OTHER" } });
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(["SERVICE_UNAVAILABLE"]);
      // The hub's next read (its poll, at the latest) fails; it waits to read again.
      await hubLog.logged(HUB_READ_FAILED, failures + 1);
    } finally {
      restore();
    }
    // Written while the hub is still waiting out its failed read, then once it reads again.
    const b = await create();
    await remove(a);
    received.push(await next(results), await next(results));
    const c = await create();
    await update(c, { category: "PROTEST" });
    received.push(await next(results), await next(results));

    expect(received.map((change) => [change.kind, change.eventId])).toEqual([
      ["CREATED", a],
      ["UPDATED", a],
      ["CREATED", b],
      ["DELETED", a],
      ["CREATED", c],
      ["UPDATED", c],
    ]);
    // Exactly the log since `start` (the refused write left nothing), and nothing more to come.
    expect(received.map(entry)).toEqual(await changesAfter(start));
    const last = await create();
    expect((await next(results)).eventId).toBe(last);
  }

  // On a server: the read the hub has under way is cut (its backend terminated while it waits on
  // a lock the test holds), with every other connection of that server, the listening one
  // included; writes go on through another server meanwhile.
  async function resumesAfterBackendsTerminated() {
    const hubLogs = new LogCapture();
    const feed = await createChangeFeed(app.databaseConfig, pino({ level: "info" }, hubLogs));
    const { url } = app.databaseConfig as { url: string };
    const named = new URL(url);
    named.searchParams.set("application_name", BESIDE);
    const beside = await startServerBeside(app, { changes: feed, log: pino({ level: "info" }, hubLogs) }, named.toString());
    const lock = new PgClient({ connectionString: url });
    await lock.connect();
    try {
      const start = await feedEnd();
      const results = subscribe({ after: start }, await beside.listen());
      const a = await create();
      await update(a, { title: `Renamed ${uniqueTag()}` });
      const received = [await next(results), await next(results)];

      // The hub's next read (its poll, at the latest) waits on the lock: that backend is the hub's.
      await lock.query("BEGIN");
      await lock.query("LOCK TABLE event_changes IN ACCESS EXCLUSIVE MODE");
      const hubBackend = await eventually(async () => {
        const { rows } = await lock.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'",
          [BESIDE],
        );
        return rows[0]?.pid;
      }, "the hub's read waiting on the lock");
      const failures = hubLogs.count(HUB_READ_FAILED);
      const relistened = hubLogs.count("change feed: listening again");
      const { rows: terminated } = await lock.query<{ pid: number }>(
        // Chosen first, then terminated: in one WHERE, Postgres may call pg_terminate_backend before the other tests.
        `WITH chosen AS MATERIALIZED (
           SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND application_name IN ($1, 'timeline-listen', 'timeline-notify'))
         SELECT pid FROM chosen WHERE pg_terminate_backend(pid)`,
        [BESIDE],
      );
      expect(terminated.map((row) => row.pid)).toContain(hubBackend);
      expect(terminated.length).toBeGreaterThan(1);
      await hubLogs.logged(HUB_READ_FAILED, failures + 1);

      // During: written through the other server while the hub cannot read; it commits as the lock goes.
      const during = create();
      await lock.query("ROLLBACK");
      const b = await during;
      await hubLogs.logged("change feed: listening again", relistened + 1);
      // After: through the server that lost its connections, and through the other.
      const c = await createThrough(beside);
      await update(c, { category: "PROTEST" });
      await remove(a);
      received.push(await next(results), await next(results), await next(results), await next(results));

      expect(received.map((change) => [change.kind, change.eventId])).toEqual([
        ["CREATED", a],
        ["UPDATED", a],
        ["CREATED", b],
        ["CREATED", c],
        ["UPDATED", c],
        ["DELETED", a],
      ]);
      expect(received.map(entry)).toEqual(await changesAfter(start));
      const last = await create();
      expect((await next(results)).eventId).toBe(last);
    } finally {
      await lock.query("ROLLBACK").catch(() => undefined);
      await lock.end();
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      await beside.close();
      await feed.close();
    }
  }

  it("refuses a cursor from before a pruning with CURSOR_EXPIRED, at once", async () => {
    const { pruneChanges } = await import("../src/changes/change-pruning");
    const start = await feedEnd();
    await create();
    await create();
    // Pruning takes only what every reader can see: wait until that includes these.
    await settled();
    await pruneChanges(app.db.prisma, new Date(Date.now() + 60_000));
    const results = subscribe({ after: start });
    const { value, done } = await results.next();
    expect(done).toBe(false);
    expect((value as Result).errors?.map((error) => error.extensions?.code)).toEqual(["CURSOR_EXPIRED"]);
  });
});
