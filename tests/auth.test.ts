import { fingerprint } from "./support/fingerprint";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

const MUTATIONS = [
  `mutation { createEvent(input: { title: "x", date: "2024", category: OTHER }) { id } }`,
  `mutation { updateEvent(id: "1", input: { title: "y" }) { id } }`,
  `mutation { deleteEvent(id: "1") }`,
  `mutation { upsertParticipant(input: { name: "Someone", kind: PERSON }) { id } }`,
  `mutation { upsertLocation(input: { name: "Somewhere", kind: CITY }) { id } }`,
  `mutation { ingestArticle(input: { url: "https://example.org/a", title: "t", publishedAt: "2024-01-01T00:00:00Z", events: [] }) { created } }`,
];

describe("writes with a token configured", () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp();
    base = await app.listen();
  });
  afterAll(() => app.close());

  it.each([
    ["no header", undefined],
    ["a wrong token", "Bearer wrong-token-0123456789abcdef"],
    ["the token without the scheme", TEST_API_TOKEN],
    ["another scheme", `Basic ${TEST_API_TOKEN}`],
    ["the token with a suffix", `Bearer ${TEST_API_TOKEN}x`],
  ])("are refused with UNAUTHENTICATED given %s, and write nothing", async (_case, authorization) => {
    const before = await fingerprint(app);
    for (const mutation of MUTATIONS) {
      const result = await app.query(mutation, {}, authorization);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(result.errors?.[0].message).toMatch(/Authorization: Bearer/);
    }
    expect(await fingerprint(app)).toEqual(before);
  });

  it("are accepted with the token, over HTTP too, while reads need none", async () => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_TOKEN}` },
      body: JSON.stringify({ query: `mutation { upsertParticipant(input: { name: "Auth Tester", kind: PERSON }) { slug } }` }),
    });
    expect(((await response.json()) as any).data.upsertParticipant.slug).toBe("auth-tester");
    const read = await app.query(`{ participant(slug: "auth-tester") { name } }`);
    expect(read.data!.participant.name).toBe("Auth Tester");
  });
});

describe("writes with no token configured", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ apiToken: null });
  });
  afterAll(() => app.close());

  it("are refused, saying how to enable them, whatever the header", async () => {
    const result = await app.query(MUTATIONS[3], {}, `Bearer ${TEST_API_TOKEN}`);
    expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.errors?.[0].message).toMatch(/API_TOKEN/);
  });
});
