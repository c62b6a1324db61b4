import type { Client } from "graphql-ws";
import { uniqueTag } from "./support/factories";
import { nextResult, wsClient, type Result } from "./support/live";
import { feedSettled } from "./support/feed";
import { startTestApp, type TestApp } from "./support/test-app";

// timelineChanged (contract): the change feed, live. With `after` it replays from that cursor,
// then goes on live with nothing lost or repeated in between; with a filter, the changes of
// events that match before or after; and it waits out a dropped database connection.

let app: TestApp;
let base: string;
const clients: Client[] = [];

beforeAll(async () => {
  app = await startTestApp();
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

function subscribe(variables: Record<string, unknown>): AsyncIterator<Result> {
  const client = wsClient(base);
  clients.push(client);
  return client.iterate({ query: TIMELINE_CHANGED, variables })[Symbol.asyncIterator]();
}

async function next(results: AsyncIterator<Result>): Promise<Delivered> {
  const result = await nextResult(results);
  expect(result.errors).toBeUndefined();
  return (result.data as { timelineChanged: Delivered }).timelineChanged;
}

/**
 * Waits until the server holds `count` live subscriptions: graphql-ws sends no acknowledgement
 * of a subscribe, and a subscription without `after` starts where the feed stands when the
 * server registers it. A wait on that condition, not on the clock.
 */
async function subscribed(count: number): Promise<void> {
  const hub = app.server.createContext().services.feedHub!;
  const deadline = Date.now() + 10_000;
  while (hub.subscriptions !== count) {
    if (Date.now() > deadline) throw new Error(`${count} subscription(s) expected, ${hub.subscriptions} live`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

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

const create = async (input: Record<string, unknown> = {}) => {
  const result = await app.write<{ createEvent: { id: string } }>(`mutation($input: EventInput!) { createEvent(input: $input) { id } }`, {
    input: { title: `Live ${uniqueTag()}`, date: "2024-06-01", category: "OTHER", ...input },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent.id;
};
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

  it("refuses a cursor or a filter it cannot use, at once", async () => {
    for (const variables of [{ after: "nonsense" }, { filter: { near: { latitude: 91, longitude: 0, radiusKm: 5 } } }]) {
      const results = subscribe(variables);
      const { value, done } = await results.next();
      expect(done).toBe(false);
      expect((value as Result).errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("waits out a dropped database connection and resumes where it was", async () => {
    const start = await feedEnd();
    const results = subscribe({ after: start });
    const before = await create();
    expect((await next(results)).eventId).toBe(before);
    if (app.databaseConfig.kind === "server") {
      // Every connection of the service to its database is cut, the listening one included.
      await app.db.prisma.$executeRaw`
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    }
    let written: string | null = null;
    for (let attempt = 0; !written; attempt++) {
      // The first write after the cut may meet a dead pooled connection; a client retries.
      const result = await app.write<{ createEvent: { id: string } }>(`mutation { createEvent(input: {title: "After the cut", date: "2024-06-02", category: OTHER}) { id } }`);
      if (result.data?.createEvent) written = result.data.createEvent.id;
      else expect(attempt).toBeLessThan(5);
    }
    const after = await next(results);
    expect([after.kind, after.eventId]).toEqual(["CREATED", written]);
  });

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
