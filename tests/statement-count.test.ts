import type { Client } from "graphql-ws";
import { ingestArticle, uniqueTag } from "./support/factories";
import { feedSettled } from "./support/feed";
import { liveSubscriptions, nextResult, wsClient, type Result } from "./support/live";
import { startTestApp, type TestApp } from "./support/test-app";

// A page with everything a timeline frontend shows: the cost in SQL statements must not grow
// with the page size (DataLoader batches each relation into one statement per request).
const PAGE = `query Page($first: Int!, $place: String!) {
  timeline(first: $first, filter: { locations: [$place] }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id title date
      location { name parent { name } }
      participants { role participant { slug country { slug } } }
      sources { url }
      claims { claimant { slug } statement deaths { best } source { url } }
      causes { id title }
      consequences { id }
    } }
  }
}`;

let app: TestApp;
let place: string;
let tag: string;

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  place = `city-${tag}`;
  await ingestArticle(app, {
    locations: [
      { slug: `country-${tag}`, name: `Country ${tag}`, kind: "COUNTRY", countryCode: "ZZ" },
      { slug: place, name: `City ${tag}`, kind: "CITY", parent: `country-${tag}` },
    ],
    participants: [
      { slug: `army-${tag}`, name: `Army ${tag}`, kind: "ARMED_GROUP", country: `country-${tag}` },
      { slug: `people-${tag}`, name: `People ${tag}`, kind: "GROUP" },
    ],
    events: Array.from({ length: 120 }, (_, index) => ({
      key: `e${index}`,
      title: `Event ${index} ${tag}`,
      // A day each, in order: each event responds to the one before.
      date: new Date(Date.UTC(2023, 0, 1 + index)).toISOString().slice(0, 10),
      category: "ATTACK",
      location: place,
      participants: [
        { participant: `army-${tag}`, role: "ACTOR" },
        { participant: `people-${tag}`, role: "VICTIM" },
      ],
      claims: [
        { claimant: `army-${tag}`, statement: "said it hit fighters", deaths: { best: index % 5 } },
        { statement: "medics said", deaths: { best: index % 7 } },
      ],
      causes: index > 0 ? [`e${index - 1}`] : [],
    })),
  });
});
afterAll(() => app.close());

async function statementsFor(first: number): Promise<{ statements: number; edges: number }> {
  const before = app.db.statements.count;
  const result = await app.query(PAGE, { first, place });
  expect(result.errors).toBeUndefined();
  return { statements: app.db.statements.count - before, edges: result.data!.timeline.edges.length };
}

describe("SQL statements per timeline page", () => {
  it("are the same small number for 5 events and for 100", async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(100);
    expect(small.edges).toBe(5);
    expect(large.edges).toBe(100);
    expect(large.statements).toBe(small.statements);
    // location subtree, page, count, then one batch per relation and nesting level (claims: one).
    expect(large.statements).toBeLessThanOrEqual(13);
  });
});

describe("SQL statements for a page filtered by role and by area", () => {
  const ROLE_PAGE = `query($filter: TimelineFilter, $first: Int!) {
    timeline(filter: $filter, first: $first) { pageInfo { hasNextPage } edges { node { id title participants { role participant { slug } } } } } }`;

  async function statements(filter: Record<string, unknown>, first: number): Promise<number> {
    const before = app.db.statements.count;
    const result = await app.query(ROLE_PAGE, { filter, first });
    expect(result.errors).toBeUndefined();
    return app.db.statements.count - before;
  }

  it.each([
    // The role is part of the page statement; the participant's slug is one more the first time
    // the process meets it, none after (a slug names one participant for good).
    [{ roles: ["VICTIM"] }, 1, 1],
    [{ participants: [`people-${"TAG"}`], roles: ["VICTIM"] }, 2, 1],
    // The area's places are one statement every time, as a locations filter's subtree is (places move).
    [{ roles: ["ACTOR"], box: { south: -90, west: -180, north: 90, east: 180 } }, 2, 2],
  ])("%j: %i statement(s) the first time, %i after, for 5 events as for 100", async (filter, first, after) => {
    const concrete = JSON.parse(JSON.stringify(filter).replace("TAG", place.slice("city-".length)));
    expect(await statements(concrete, 5)).toBe(first);
    expect(await statements(concrete, 100)).toBe(after);
    expect(await statements(concrete, 5)).toBe(after);
  });
});

describe("SQL statements per write, with eventChanged subscriptions", () => {
  // Every subscription is a view of the server's one live feed (FeedHub): a write costs one read
  // of its batch of the log, matched against every distinct filter at once, whatever the number
  // of subscriptions. The deliveries select no relation: a relation is resolved for each
  // subscription's own delivery, as any GraphQL subscription's selection is.
  const EVENT_CHANGED = `subscription($filter: TimelineFilter) { eventChanged(filter: $filter) { id title } }`;
  const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { id } }`;
  const clients: Client[] = [];
  let base: string;
  beforeAll(async () => {
    base = await app.listen();
  });
  afterAll(() => Promise.all(clients.map((client) => client.dispose())));

  /** `count` subscriptions under `filter`, over one socket, once the server holds them all. */
  async function subscribeMany(count: number, filter: Record<string, unknown> | null): Promise<Array<AsyncIterator<Result>>> {
    const client = wsClient(base);
    clients.push(client);
    const live = app.server.createContext().services.feedHub!.subscriptions;
    const subscriptions = Array.from({ length: count }, () => client.iterate({ query: EVENT_CHANGED, variables: { filter } })[Symbol.asyncIterator]());
    await liveSubscriptions(app, live + count);
    return subscriptions;
  }

  /**
   * Statements from a write's start until every subscription has received it, the fewest of three
   * writes (the hub's poll can fall inside one of them). On a server a transaction of another test
   * file can hold the write's entry back: the hub then looks again every 25 ms, each look an empty
   * read of the log and a check of what is held back, two statements, which are not the write's
   * (the hub counts its waits).
   */
  async function perWrite(receiving: Array<AsyncIterator<Result>>): Promise<number> {
    const hub = app.server.createContext().services.feedHub!;
    let fewest = Infinity;
    for (let i = 0; i < 3; i++) {
      await feedSettled(app);
      const [before, waits] = [app.db.statements.count, hub.heldBackWaits];
      const created = await app.write<{ createEvent: { id: string } }>(CREATE, {
        input: { title: `Watched ${i} ${tag}`, date: "2023-06-01", category: "ATTACK", participants: [{ participant: `army-${tag}`, role: "ACTOR" }] },
      });
      expect(created.errors).toBeUndefined();
      for (const results of receiving) {
        expect(((await nextResult(results)).data as { eventChanged: { id: string } }).eventChanged.id).toBe(created.data!.createEvent.id);
      }
      // Nothing is ever held back on the embedded database (one connection): a hub that thought
      // otherwise would have its extra reads subtracted here, unseen.
      if (app.databaseConfig.kind !== "server") expect(hub.heldBackWaits).toBe(waits);
      fewest = Math.min(fewest, app.db.statements.count - before - 2 * (hub.heldBackWaits - waits));
    }
    return fewest;
  }

  it("are the write's own and a few more, for one subscription as for 45 under 6 filters", async () => {
    const alone = await perWrite([]);
    const one = await subscribeMany(1, null);
    const withOne = await perWrite(one);
    const matching = [
      ...(await subscribeMany(7, null)),
      ...(await subscribeMany(8, { categories: ["ATTACK"] })),
      ...(await subscribeMany(8, { participants: [`army-${tag}`] })),
      ...(await subscribeMany(8, { participants: [`army-${tag}`], roles: ["ACTOR"] })),
      ...(await subscribeMany(8, { from: "2023-06", to: "2023-06" })),
    ];
    await subscribeMany(5, { categories: ["PROTEST"] }); // never matches: a filter more to match, no delivery
    expect(app.server.createContext().services.feedHub!.subscriptions).toBe(45);
    const withMany = await perWrite([...one, ...matching]);
    // The log's batch read with every filter matched in it, the batch's events, the held-back check.
    expect(withOne - alone).toBeLessThanOrEqual(3);
    expect(withMany - alone).toBeLessThanOrEqual(3);
  });
});
