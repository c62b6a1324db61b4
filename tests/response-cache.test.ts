import { ingestArticle, uniqueTag } from "./support/factories";
import { changeLogSettled } from "./support/settled";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

// The exact response cache of reads (#16): the same query with the same variables is answered
// from memory while nothing it could show has changed, and never once anything has: after every
// kind of write, the next answer is the fresh one.

let app: TestApp;
let tag: string;
beforeAll(async () => {
  app = await startTestApp({ responseCacheBytes: 4 * 1024 * 1024 });
  tag = uniqueTag();
});
afterAll(() => app.close());

const PAGE = `query($first: Int) { timeline(first: $first) { totalCount edges { node { id title fatalities location { slug } participants { participant { slug name } } } } } }`;
const cache = () => app.server.responseCache!.stats();

/** Runs the page and counts the statements it sent. */
async function page(variables: Record<string, unknown> = { first: 50 }, authorization?: string) {
  const before = app.db.statements.count;
  const result = await app.query<{ timeline: { totalCount: number; edges: Array<{ node: any }> } }>(PAGE, variables, authorization);
  expect(result.errors).toBeUndefined();
  return { data: result.data!.timeline, statements: app.db.statements.count - before };
}

it("answers the same read again from memory, with one statement (the data version) instead of the page's", async () => {
  const first = await page();
  const hits = cache().hits;
  const again = await page();
  expect(again.data).toEqual(first.data);
  expect(cache().hits).toBe(hits + 1);
  expect(again.statements).toBe(1);
  expect(first.statements).toBeGreaterThan(1);
});

it("keys answers by their variables and operation", async () => {
  const five = await page({ first: 5 });
  const ten = await page({ first: 10 });
  expect(five.data.edges).toHaveLength(5);
  expect(ten.data.edges).toHaveLength(10);
  const named = await app.query(`query Count { timeline(first: 1) { totalCount } }`);
  expect(named.data).toEqual({ timeline: { totalCount: ten.data.totalCount } });
});

describe("never stale after a write", () => {
  const writes: Array<[string, () => Promise<unknown>]> = [
    ["createEvent", () => app.write(`mutation($input: EventInput!) { createEvent(input: $input) { id } }`, { input: { title: `Cache probe ${tag}`, date: "2024-01-30", category: "OTHER" } })],
    [
      "updateEvent",
      async () => {
        const { data } = await app.query<any>(`{ timeline(first: 1) { edges { node { id } } } }`);
        return app.write(`mutation($id: ID!) { updateEvent(id: $id, input: { fatalities: 77 }) { id } }`, { id: data.timeline.edges[0].node.id });
      },
    ],
    [
      "deleteEvent",
      async () => {
        const { data } = await app.query<any>(`{ timeline(first: 1, order: DESC) { edges { node { id } } } }`);
        return app.write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id: data.timeline.edges[0].node.id });
      },
    ],
    ["ingestArticle", () => ingestArticle(app, { events: [{ key: "a", title: `Ingested probe ${tag}`, date: "2024-01-30", category: "OTHER" }] })],
    [
      "a participant renamed (its name shows on the page)",
      () => app.write(`mutation($input: ParticipantInput!) { upsertParticipant(input: $input) { slug } }`, { input: { slug: "iran", name: `Iran ${tag}`, kind: "COUNTRY" } }),
    ],
  ];
  it.each(writes)("%s", async (_, write) => {
    await changeLogSettled(app);
    await page();
    const cached = await page();
    expect(cached.statements).toBe(1);
    await write();
    const fresh = await page();
    expect(fresh.statements).toBeGreaterThan(1);
    // The fresh answer is what the database says now: the same query, cache bypassed by the token.
    const truth = await page({ first: 50 }, `Bearer ${TEST_API_TOKEN}`);
    expect(fresh.data).toEqual(truth.data);
    expect(fresh.data).not.toEqual(cached.data);
  });
});

it("serves and keeps nothing for a request with a token, a mutation, or an answer with errors", async () => {
  await page();
  const before = cache();
  const withToken = await page({ first: 50 }, `Bearer ${TEST_API_TOKEN}`);
  expect(withToken.statements).toBeGreaterThan(1);
  const refused = await app.query(PAGE, { first: -1 });
  expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  const again = await app.query(PAGE, { first: -1 });
  expect(again.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  expect(cache().entries).toBe(before.entries);
  expect(cache().hits).toBe(before.hits);
});

it("stays within its memory, dropping the least recently used", async () => {
  const small = await startTestApp({ responseCacheBytes: 64 * 1024 });
  try {
    for (let first = 1; first <= 40; first++) await small.query(PAGE, { first });
    const { bytes, entries } = small.server.responseCache!.stats();
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(entries).toBeLessThan(40);
    expect(entries).toBeGreaterThan(0);
  } finally {
    await small.close();
  }
});
