import { uniqueTag } from "./support/factories";
import { changeLogSettled } from "./support/settled";
import { startTestApp, type TestApp } from "./support/test-app";

// HTTP caching for readers (#14): GET exports and GET GraphQL reads answer an ETag drawn from a
// data version that every committed write advances, and 304 Not Modified on If-None-Match while
// nothing changed.

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

const GRAPHQL_GET = { "apollo-require-preflight": "true", accept: "application/json" };
const query = (text: string) => `${base}/graphql?query=${encodeURIComponent(text)}`;

async function revalidate(url: string, headers: Record<string, string> = {}) {
  const first = await fetch(url, { headers });
  expect(first.status).toBe(200);
  const etag = first.headers.get("etag");
  expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
  await first.arrayBuffer();
  const again = await fetch(url, { headers: { ...headers, "if-none-match": etag! } });
  return { etag: etag!, again, body: await again.text() };
}

describe("ETags", () => {
  it("answer an unchanged export with 304, and a changed one in full", async () => {
    const url = `${base}/export/events.csv`;
    const { etag, again, body } = await revalidate(url);
    expect([again.status, body, again.headers.get("etag")]).toEqual([304, "", etag]);

    const created = await app.write(`mutation { createEvent(input: {title: "Cache buster ${uniqueTag()}", date: "2024-07-01", category: OTHER}) { id } }`);
    expect(created.errors).toBeUndefined();
    const changed = await fetch(url, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(await changed.text()).toContain("Cache buster");
  });

  it("answer an unchanged GraphQL GET with 304, for each query its own, until any table changes", async () => {
    const timeline = query("{ timeline(first: 1) { totalCount } }");
    // The write of the test before may still be held back, and move the version between two GETs.
    await changeLogSettled(app);
    const { etag, again } = await revalidate(timeline, GRAPHQL_GET);
    expect(again.status).toBe(304);
    const other = await fetch(query("{ timeline(first: 2) { totalCount } }"), { headers: { ...GRAPHQL_GET, "if-none-match": etag } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();

    // A place is not an event, and still changes what a read can show.
    const place = await app.write(`mutation { upsertLocation(input: {slug: "etag-${uniqueTag()}", name: "Somewhere", kind: COUNTRY}) { slug } }`);
    expect(place.errors).toBeUndefined();
    const after = await fetch(timeline, { headers: { ...GRAPHQL_GET, "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await after.json()).toEqual({ data: { timeline: { totalCount: expect.any(Number) } } });
  });

  it("leave POSTs alone", async () => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ timeline(first: 1) { totalCount } }" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
  });
});
