import type { Client } from "graphql-ws";
import pino from "pino";
import { Client as PgClient } from "pg";
import WebSocket from "ws";
import { InProcessChangeFeed, type ChangeFeed } from "../src/live/change-feed";
import { createChangeFeed } from "../src/live/create-change-feed";
import { chunkIds, PgChangeFeed } from "../src/live/pg-change-feed";
import { ingestArticle, uniqueTag, type ArticleJson } from "./support/factories";
import { liveSubscriptions, LogCapture, nextResult, wsClient, type Result } from "./support/live";
import { startServerBeside, startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";
import { ENV } from "./support/test-database";

// eventChanged (contract): events as they are created or updated, if they match the filter, once
// to each subscriber; a view of the server's live feed (its FeedHub reads the change log), so the
// tests write and watch what arrives.

const EVENT_CHANGED = `subscription($filter: TimelineFilter) {
  eventChanged(filter: $filter) { id title participants { role participant { slug } } }
}`;

let app: TestApp;
let base: string;
const clients: Client[] = [];

beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  // Each test starts with none live, so that counting them says when a new one is registered.
  await liveSubscriptions(app, 0);
});
afterAll(() => app.close());

function connect(httpBase = base, connectionParams?: Record<string, unknown>): Client {
  const client = wsClient(httpBase, { connectionParams });
  clients.push(client);
  return client;
}

/** Subscribes and waits until `on`'s server holds it, so what is written next must reach it. */
async function subscribe(client: Client, filter: Record<string, unknown> | null, on: TestApp = app) {
  const live = on.server.createContext().services.feedHub!.subscriptions;
  const results = client.iterate({ query: EVENT_CHANGED, variables: { filter } });
  await liveSubscriptions(on, live + 1);
  return results;
}

/** A write through `on`'s API, which must succeed. */
async function write(query: string, on: TestApp = app): Promise<void> {
  const result = await on.write(query);
  expect(result.errors).toBeUndefined();
}
const updateEvent = (id: number, input: string, on: TestApp = app) => write(`mutation { updateEvent(id: "${id}", input: { ${input} }) { id } }`, on);
const deleteEvent = (id: number) => write(`mutation { deleteEvent(id: "${id}") }`);

/**
 * An article with two events involving a fresh participant (a, b) and one that does not (other).
 * Its creations are in the past for a subscription made after it returns, even while another
 * test file's transaction on the server holds their entries back (README, eventChanged).
 */
async function article(overrides: Partial<ArticleJson> = {}) {
  const tag = uniqueTag();
  const slug = `actor-${tag}`;
  const involving = [{ participant: slug, role: "ACTOR" }];
  const { events } = await ingestArticle(app, {
    participants: [{ slug, name: `Actor ${tag}`, kind: "GROUP" }],
    events: [
      { key: "a", title: `Rally ${tag}`, date: "2024-03-01", category: "PROTEST", participants: involving },
      { key: "b", title: `March ${tag}`, date: "2024-03-02", category: "PROTEST", participants: involving },
      { key: "other", title: `Talks ${tag}`, date: "2024-03-03", category: "DIPLOMACY" },
    ],
    ...overrides,
  });
  const id = (title: string) => events.find((event) => event.title === title)!.id;
  return { tag, slug, a: id(`Rally ${tag}`), b: id(`March ${tag}`), other: id(`Talks ${tag}`) };
}

interface Delivered {
  id: string;
  title: string;
  participants: Array<{ role: string; participant: { slug: string } }>;
}
const delivered = (result: Result) => (result.data as { eventChanged: Delivered }).eventChanged;

/** ws sending the write token in the upgrade request's header, as a client outside a browser can. */
class WebSocketWithToken extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
  }
}

describe("Subscription.eventChanged over graphql-ws", () => {
  it("delivers a change to an event that matches the filter, with its relations", async () => {
    const { slug, a, tag } = await article();
    const results = await subscribe(connect(), { participants: [slug] });
    await updateEvent(a, "fatalities: 3");
    expect(await nextResult(results)).toEqual({
      data: {
        eventChanged: { id: String(a), title: `Rally ${tag}`, participants: [{ role: "ACTOR", participant: { slug } }] },
      },
    });
  });

  it("does not deliver changes to events that do not match, nor to events that no longer exist, nor writes that changed nothing", async () => {
    const { slug, a, b, other, tag } = await article();
    const results = await subscribe(connect(), { participants: [slug], categories: ["PROTEST"] });
    // Written in order, delivered in order: had any of the first four been delivered, it would come first.
    await updateEvent(b, `title: "March ${tag}"`); // changes nothing: no entry in the log
    await updateEvent(other, "fatalities: 1"); // never matches
    await updateEvent(b, "category: RIOT"); // matched before, not as it is now
    await deleteEvent(b); // gone: a deleted event is not delivered
    await updateEvent(a, "fatalities: 1");
    expect(delivered(await nextResult(results)).id).toBe(String(a));
  });

  it("starts from now: a change committed before it subscribed is not delivered, even while an older transaction holds it back", async () => {
    const { slug, a, b, tag } = await article();
    // On a server, a transaction that began first and is still open holds the log's readable end
    // back, so the change made next is past it when the subscription begins. The embedded
    // database has one connection and no such transaction: the change is simply in the past.
    const early = app.databaseConfig.kind === "server" ? new PgClient({ connectionString: app.databaseConfig.url }) : null;
    await early?.connect();
    try {
      await early?.query("BEGIN");
      await early?.query("SELECT pg_current_xact_id()");
      await updateEvent(a, `title: "Rally ${tag} moved"`);
      const results = await subscribe(connect(), { participants: [slug] });
      await early?.query("COMMIT");
      await updateEvent(b, "fatalities: 4");
      expect(delivered(await nextResult(results)).id).toBe(String(b));
    } finally {
      await early?.query("ROLLBACK").catch(() => undefined);
      await early?.end();
    }
  });

  it("delivers each matching change once to each subscriber", async () => {
    const { slug, a, b } = await article();
    const first = await subscribe(connect(), { participants: [slug] });
    const second = await subscribe(connect(), { participants: [slug] });
    await updateEvent(a, "fatalities: 1");
    await updateEvent(b, "fatalities: 1");
    await updateEvent(a, "fatalities: 2");
    for (const results of [first, second]) {
      expect(delivered(await nextResult(results)).id).toBe(String(a));
      expect(delivered(await nextResult(results)).id).toBe(String(b));
      expect(delivered(await nextResult(results)).id).toBe(String(a));
    }
  });

  it("reads the event and its relations afresh for each delivery", async () => {
    const url = `https://example.org/live/${uniqueTag()}`;
    const { slug, a, tag } = await article({ url });
    const results = await subscribe(connect(), { participants: [slug] });
    await updateEvent(a, "fatalities: 1");
    expect(delivered(await nextResult(results))).toMatchObject({ title: `Rally ${tag}`, participants: [{ role: "ACTOR" }] });

    // The same article again: event a gets a new title and a second participant.
    const target = `target-${tag}`;
    await ingestArticle(app, {
      url,
      participants: [{ slug: target, name: `Target ${tag}`, kind: "GROUP" }],
      events: [
        {
          key: "a",
          title: `Rally grows ${tag}`,
          date: "2024-03-01",
          category: "PROTEST",
          participants: [
            { participant: slug, role: "ACTOR" },
            { participant: target, role: "TARGET" },
          ],
        },
      ],
    });
    const again = delivered(await nextResult(results));
    expect(again.title).toBe(`Rally grows ${tag}`);
    expect(again.participants).toHaveLength(2);
    expect(again.participants).toContainEqual({ role: "TARGET", participant: { slug: target } });
  });

  it("hears of the API's own writes: createEvent and updateEvent announce what they changed", async () => {
    const { slug, a, tag } = await article();
    const results = await subscribe(connect(), { participants: [slug] });
    const create = `mutation($input: EventInput!) { createEvent(input: $input) { id } }`;
    const elsewhere = await app.write(create, { input: { title: `Aside ${tag}`, date: "2024-03-04", category: "STATEMENT" } });
    const involving = await app.write(create, {
      input: { title: `Sit-in ${tag}`, date: "2024-03-05", category: "PROTEST", participants: [{ participant: slug, role: "ACTOR" }] },
    });
    expect(elsewhere.errors).toBeUndefined();
    expect(delivered(await nextResult(results))).toMatchObject({ id: involving.data?.createEvent.id, title: `Sit-in ${tag}` });

    const update = await app.write(`mutation { updateEvent(id: "${a}", input: { title: "Rally renamed ${tag}" }) { id } }`);
    expect(update.errors).toBeUndefined();
    expect(delivered(await nextResult(results))).toMatchObject({ id: String(a), title: `Rally renamed ${tag}` });
  });

  it("refuses a bad filter with BAD_USER_INPUT when the subscription starts", async () => {
    const client = connect();
    for (const filter of [{ participants: [`nobody-${uniqueTag()}`] }, { from: "2024-02-30" }, { from: "2024-02", to: "2024-01" }]) {
      const results = client.iterate({ query: EVENT_CHANGED, variables: { filter } });
      // A variable that does not coerce is refused before the operation starts (an error message);
      // a filter refused by the service ends it with a result holding the error.
      const errors = await nextResult(results).then(
        async (result) => {
          expect(result.data ?? null).toBeNull();
          expect((await results.next()).done).toBe(true);
          return result.errors;
        },
        (refusal: Array<{ extensions?: { code?: string } }>) => refusal,
      );
      expect(errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
    // None reached the live feed.
    expect(app.server.createContext().services.feedHub!.subscriptions).toBe(0);
  });

  it("refuses over a socket what it refuses over HTTP, with the same codes", async () => {
    const client = connect();
    const refusal = (query: string) => nextResult(client.iterate({ query })).then(
      () => null,
      (errors: Array<{ message: string; extensions?: { code?: string } }>) => errors[0],
    );
    expect(await refusal("subscription { eventChanged { id nope } }")).toMatchObject({
      message: expect.stringContaining("nope"),
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    expect((await refusal("subscription { eventChanged { id }"))?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    // Deeper than the HTTP endpoint's depth limit (graphql-armor's maxDepth).
    const deep = `subscription { eventChanged { ${"causes { ".repeat(15)}id${" }".repeat(15)} } }`;
    expect((await refusal(deep))?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("lets go of the feed when a subscriber unsubscribes or disconnects", async () => {
    const { slug } = await article();
    const unsubscribing = await subscribe(connect(), { participants: [slug] });
    await unsubscribing.return?.();
    await liveSubscriptions(app, 0);

    const leaving = connect();
    await subscribe(leaving, { participants: [slug] });
    await leaving.dispose();
    await liveSubscriptions(app, 0);
  });

  it("takes the write token from connectionParams or the upgrade request's header", async () => {
    const { a, b, other } = await article();
    const remove = (client: Client, id: number) => nextResult(client.iterate({ query: `mutation { deleteEvent(id: "${id}") }` }));
    const anonymous = await remove(connect(), a);
    expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await remove(connect(base, { Authorization: `Bearer ${TEST_API_TOKEN}` }), a)).toEqual({ data: { deleteEvent: true } });

    const withHeader = wsClient(base, { webSocketImpl: WebSocketWithToken });
    clients.push(withHeader);
    expect(await remove(withHeader, b)).toEqual({ data: { deleteEvent: true } });
    const { data } = await app.query(`{ a: event(id: "${a}") { id } b: event(id: "${b}") { id } other: event(id: "${other}") { id } }`);
    expect(data).toEqual({ a: null, b: null, other: { id: String(other) } });
  });

  it("closes its sockets with 1001 (going away) when the server stops, ending their subscriptions", async () => {
    const stopping = await startTestApp();
    const hub = stopping.server.createContext().services.feedHub!;
    let closedWith: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolve) => (closedWith = resolve));
    const client = wsClient(await stopping.listen(), { on: { closed: (event) => closedWith((event as { code: number }).code) } });
    clients.push(client);
    await subscribe(client, null, stopping);
    await stopping.close();
    expect(hub.subscriptions).toBe(0);
    expect(await closed).toBe(1001);
  });
});

describe("the change feed across servers", () => {
  it("splits announcements into NOTIFY payloads under 8000 bytes, ids whole and in order", () => {
    expect(chunkIds([])).toEqual([]);
    expect(chunkIds([1, 22, 333])).toEqual(["1,22,333"]);
    expect(chunkIds([1, 22, 333], 3)).toEqual(["1", "22", "333"]);
    expect(chunkIds([1, 22, 333], 6)).toEqual(["1,22", "333"]);
    const ids = Array.from({ length: 3000 }, (_, i) => 2_000_000_000 + i);
    const chunks = chunkIds(ids);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((chunk) => Buffer.byteLength(chunk)))).toBeLessThan(8000);
    expect(chunks.join(",")).toBe(ids.join(","));
  });

  if (process.env[ENV.serverUrl]) {
    describe("on a Postgres server", () => {
      const log = new LogCapture();
      const feeds: ChangeFeed[] = [];
      const servers: TestApp[] = [];

      /** A second (third...) server over the same database, with a LISTEN/NOTIFY feed of its own. */
      async function serverBeside(): Promise<{ server: TestApp; base: string; feed: ChangeFeed }> {
        const feed = await createChangeFeed(app.databaseConfig, pino({ level: "info" }, log));
        expect(feed).toBeInstanceOf(PgChangeFeed);
        const server = await startServerBeside(app, { changes: feed });
        feeds.push(feed);
        servers.push(server);
        return { server, base: await server.listen(), feed };
      }
      afterAll(async () => {
        for (const server of servers) await server.close();
        for (const feed of feeds) await feed.close();
      });

      it("a change written through one server reaches subscribers of every server, once each", async () => {
        const one = await serverBeside();
        const two = await serverBeside();
        const { slug, a, b } = await article();
        const onOne = await subscribe(connect(one.base), { participants: [slug] }, one.server);
        const onTwo = await subscribe(connect(two.base), { participants: [slug] }, two.server);
        await updateEvent(a, "fatalities: 1", one.server);
        await updateEvent(b, "fatalities: 1", two.server);
        await updateEvent(a, "fatalities: 2", app);
        for (const results of [onOne, onTwo]) {
          expect(delivered(await nextResult(results)).id).toBe(String(a));
          expect(delivered(await nextResult(results)).id).toBe(String(b));
          expect(delivered(await nextResult(results)).id).toBe(String(a));
        }
      });

      it("carries an announcement too large for one NOTIFY whole and in order", async () => {
        const [one, two] = [await serverBeside(), await serverBeside()];
        const ids = Array.from({ length: 3000 }, (_, i) => 2_000_000_000 + i);
        const stop = new AbortController();
        const heard = two.feed.subscribe(stop.signal)[Symbol.asyncIterator]();
        await one.feed.eventsChanged(ids);
        const received: number[] = [];
        while (received.length < ids.length) received.push((await heard.next()).value as number);
        stop.abort();
        expect(received).toEqual(ids);
      });

      it("listens again after its connection drops, and delivers what was written meanwhile and after", async () => {
        const one = await serverBeside();
        const { slug, a, b } = await article();
        const results = await subscribe(connect(one.base), { participants: [slug] }, one.server);
        const relistened = log.count("change feed: listening again");
        const terminated = await app.db.prisma.$queryRaw<Array<{ ok: boolean }>>`
          SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'timeline-listen'`;
        expect(terminated.length).toBe(feeds.length);
        // Its announcement may go unheard while the listener reconnects: the log still holds it.
        await updateEvent(a, "fatalities: 1");
        await log.logged("change feed: listening again", relistened + feeds.length);
        await updateEvent(b, "fatalities: 1", one.server);
        expect(delivered(await nextResult(results)).id).toBe(String(a));
        expect(delivered(await nextResult(results)).id).toBe(String(b));
      });
    });
  } else {
    it("is the in-process feed on the embedded database, which only one process opens", async () => {
      const embedded = await createChangeFeed(app.databaseConfig, pino({ level: "silent" }));
      expect(app.databaseConfig.kind).toBe("embedded");
      expect(embedded).toBeInstanceOf(InProcessChangeFeed);
      await embedded.close();
    });
  }
});
