import { json, postGraphQL } from "./support/http";
import { nextResult, wsClient } from "./support/live";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

const post = postGraphQL;

/** After every refusal the server must still answer a plain query. */
async function expectHealthy(base: string) {
  const response = await post(base, { query: "{ timeline(first: 1) { totalCount } }" });
  expect(response.status).toBe(200);
  expect((await json(response)).data.timeline.totalCount).toBeGreaterThan(0);
}

describe("limits on what one request may ask", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp();
    base = await app.listen();
  });
  afterAll(() => app.close());

  const deep = `{ location(slug: "islamabad") { ${"parent { ".repeat(12)}slug${" }".repeat(12)} } }`;
  const aliased = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: timeline(first: 1) { totalCount }`).join(" ")} }`;
  const directives = `{ timeline(first: 1) { totalCount ${"@include(if: true) ".repeat(51)} } }`;
  // Within the depth limit: a page of 100 events, each with a page of 100 of its participants' events.
  const costly = `{ timeline(first: 100) { edges { node { participants { participant { events(first: 100) { edges { node { title } } } } } } } } }`;
  const tokens = `{ timeline(first: 1) { ${"totalCount ".repeat(2100)} } }`;

  it.each([
    ["deep", deep, /depth limit of 10/i],
    ["aliased", aliased, /aliases limit of 15/i],
    ["directive-stuffed", directives, /directives limit of 50/i],
    ["costly", costly, /cost limit of 50000/i],
    ["token-heavy", tokens, /more that 2000 tokens/i],
  ])("refuses a %s query with HTTP 400 naming the limit", async (_kind, query, limit) => {
    const response = await post(base, { query });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.errors[0].message).toMatch(limit);
    expect(body.data).toBeUndefined();
    await expectHealthy(base);
  });

  it("refuses batched requests", async () => {
    const response = await post(base, [{ query: "{ timeline { totalCount } }" }, { query: "{ timeline { totalCount } }" }]);
    expect(response.status).toBe(400);
    expect((await response.text()).toLowerCase()).toContain("batch");
    await expectHealthy(base);
  });

  it("refuses a body over 100 KB, naming the limit", async () => {
    const response = await post(base, { query: "{ timeline { totalCount } }", variables: { pad: "x".repeat(110 * 1024) } });
    expect(response.status).toBe(413);
    expect((await json(response)).errors[0].message).toMatch(/limit of 102400 bytes/);
    await expectHealthy(base);
  });

  it("refuses malformed JSON and wrong content types", async () => {
    const malformed = await post(base, '{"query": "{ timeline { totalCount } }"');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).errors[0].message).toMatch(/not valid JSON/);
    const plain = await post(base, JSON.stringify({ query: "{ timeline { totalCount } }" }), { "content-type": "text/plain" });
    expect(plain.status).toBe(400);
    const xml = await post(base, "<query/>", { "content-type": "application/xml" });
    expect(xml.status).toBeGreaterThanOrEqual(400);
    expect(xml.status).toBeLessThan(500);
    await expectHealthy(base);
  });

  it("refuses huge variables with BAD_USER_INPUT", async () => {
    const slugs = Array.from({ length: 5000 }, (_, i) => `s${i}`);
    const response = await post(base, {
      query: "query($p: [String!]) { timeline(filter: { participants: $p }) { totalCount } }",
      variables: { p: slugs },
    });
    const body = await json(response);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0].message).toMatch(/at most 100/);
    await expectHealthy(base);
  });

  it("gives every error the request id that the response header carries", async () => {
    const response = await post(base, { query: '{ timeline(first: 0) { totalCount } }' });
    const body = await json(response);
    expect(body.errors[0].extensions.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("answers introspection by default, for the IDE", async () => {
    const body = await json(await post(base, { query: "{ __schema { queryType { name } } }" }));
    expect(body.data.__schema.queryType.name).toBe("Query");
  });
});

describe("with introspection off", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ security: { introspection: false } });
    base = await app.listen();
  });
  afterAll(() => app.close());

  it("refuses introspection and leaks no field names in suggestions", async () => {
    const introspection = await post(base, { query: "{ __schema { types { name } } }" });
    expect(introspection.status).toBe(400);
    const typo = await json(await post(base, { query: "{ timelin { totalCount } }" }));
    expect(JSON.stringify(typo)).not.toMatch(/Did you mean|"timeline"/);
    await expectHealthy(base);
  });
});

describe("the rate limit", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ security: { rateLimit: { enabled: true, points: 100, windowMs: 60_000 } } });
    base = await app.listen();
  });
  afterAll(() => app.close());

  it("charges each client the cost of its queries and answers RATE_LIMITED with Retry-After", async () => {
    const query = { query: "{ timeline(first: 20) { edges { node { id } } } }" }; // 61 points
    expect((await post(base, query)).status).toBe(200);
    const limited = await post(base, query);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await json(limited);
    expect(body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(body.errors[0].message).toMatch(/costs 61 of 100 points/);
    // Another client (by token) has its own budget.
    const other = await post(base, query, { authorization: `Bearer ${TEST_API_TOKEN}` });
    expect(other.status).toBe(200);
  });

  it("counts operations over WebSocket against the same budget", async () => {
    // The token's budget paid 61 points over HTTP in the test above: 39 are left.
    const client = wsClient(base, { connectionParams: { Authorization: `Bearer ${TEST_API_TOKEN}` } });
    try {
      const cheap = await nextResult(client.iterate({ query: "{ timeline(first: 5) { edges { node { id } } } }" }));
      expect(cheap.errors).toBeUndefined();
      // Refused before executing: graphql-ws ends the operation with the errors.
      await expect(nextResult(client.iterate({ query: "{ timeline(first: 20) { edges { node { id } } } }" }))).rejects.toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "RATE_LIMITED" }) }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});

describe("CORS", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ security: { corsOrigins: ["https://newsroom.example"] } });
    base = await app.listen();
  });
  afterAll(() => app.close());

  it("allows the listed origins only", async () => {
    const allowed = await post(base, { query: "{ timeline { totalCount } }" }, { origin: "https://newsroom.example" });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://newsroom.example");
    const other = await post(base, { query: "{ timeline { totalCount } }" }, { origin: "https://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${base}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "https://newsroom.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);
  });
});
