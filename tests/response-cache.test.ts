import { ingestArticle, uniqueTag } from "./support/factories";
import { changeLogSettled } from "./support/settled";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

// The exact response cache of reads (#16), in front of Apollo: the same query with the same
// variables is answered from memory, byte for byte, while nothing it could show has changed, and
// never once anything has: after every kind of write, the next answer is the fresh one.

let app: TestApp;
let base: string;
let tag: string;
beforeAll(async () => {
  app = await startTestApp({ responseCacheBytes: 4 * 1024 * 1024 });
  base = await app.listen();
  tag = uniqueTag();
});
afterAll(() => app.close());

const PAGE = `query($first: Int) { timeline(first: $first) { totalCount edges { node { id title fatalities location { slug } participants { participant { slug name } } } } } }`;
const cache = () => app.server.responseCache!.stats();

/** POSTs an operation as a client would, counting the statements it sent. */
async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, at = base, counted = app) {
  const before = counted.db.statements.count;
  const response = await fetch(`${at}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { response, text, body: JSON.parse(text), statements: counted.db.statements.count - before };
}

/** The page, which must answer without errors. */
async function page(variables: Record<string, unknown> = { first: 50 }, authorization?: string) {
  const { body, text, response, statements } = await post(PAGE, variables, authorization ? { authorization } : {});
  expect(body.errors).toBeUndefined();
  return { data: body.data.timeline as { totalCount: number; edges: Array<{ node: any }> }, text, response, statements };
}

it("answers the same read again from memory, byte for byte, with one statement (the data version) instead of the page's", async () => {
  const first = await page();
  const hits = cache().hits;
  const again = await page();
  expect(again.text).toBe(first.text);
  expect(again.response.headers.get("content-type")).toBe(first.response.headers.get("content-type"));
  expect(cache().hits).toBe(hits + 1);
  expect(again.statements).toBe(1);
  expect(first.statements).toBeGreaterThan(1);
});

it("keys answers by their variables, operation and Accept header", async () => {
  const five = await page({ first: 5 });
  const ten = await page({ first: 10 });
  expect(five.data.edges).toHaveLength(5);
  expect(ten.data.edges).toHaveLength(10);
  const named = await post(`query Count { timeline(first: 1) { totalCount } }`);
  expect(named.body).toEqual({ data: { timeline: { totalCount: ten.data.totalCount } } });
  // The same query asked for in the GraphQL-over-HTTP media type is answered in it, not in the stored JSON.
  await page({ first: 7 });
  const typed = await post(PAGE, { first: 7 }, { accept: "application/graphql-response+json" });
  expect(typed.response.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
  const again = await post(PAGE, { first: 7 }, { accept: "application/graphql-response+json" });
  expect(again.statements).toBe(1);
  expect(again.response.headers.get("content-type")).toBe(typed.response.headers.get("content-type"));
});

it("answers a GET read from memory too", async () => {
  const url = `${base}/graphql?query=${encodeURIComponent("{ timeline(first: 3) { totalCount edges { node { id } } } }")}`;
  const headers = { "apollo-require-preflight": "true", accept: "application/json" };
  const first = await fetch(url, { headers });
  const firstText = await first.text();
  const before = app.db.statements.count;
  const again = await fetch(url, { headers });
  expect(await again.text()).toBe(firstText);
  // The ETag's data version and the cache's: two reads of the version, nothing of the page.
  expect(app.db.statements.count - before).toBe(2);
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
  for (let twice = 0; twice < 2; twice++) {
    const refused = await post(PAGE, { first: -1 });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unauthenticated = await post(`mutation { deleteEvent(id: "1") }`);
    expect(unauthenticated.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  }
  expect(cache().entries).toBe(before.entries);
  expect(cache().hits).toBe(before.hits);
});

it("charges an answer from memory to the client's rate limit like any other", async () => {
  const limited = await startTestApp({ responseCacheBytes: 1024 * 1024, security: { rateLimit: { enabled: true, points: 100, windowMs: 60_000 } } });
  try {
    const at = await limited.listen();
    const query = "{ timeline(first: 20) { edges { node { id } } } }"; // 61 points
    const first = await post(query, {}, {}, at, limited);
    expect(first.response.status).toBe(200);
    const again = await post(query, {}, {}, at, limited);
    expect(again.response.status).toBe(429);
    expect(again.body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(limited.server.responseCache!.stats().hits).toBe(0);
  } finally {
    await limited.close();
  }
});

it("stays within its memory, dropping the least recently used", async () => {
  const small = await startTestApp({ responseCacheBytes: 64 * 1024 });
  try {
    const at = await small.listen();
    for (let first = 1; first <= 40; first++) expect((await post(PAGE, { first }, {}, at, small)).body.errors).toBeUndefined();
    const { bytes, entries } = small.server.responseCache!.stats();
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(entries).toBeLessThan(40);
    expect(entries).toBeGreaterThan(0);
  } finally {
    await small.close();
  }
});
