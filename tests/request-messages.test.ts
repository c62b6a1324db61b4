import { TIME_ZONES } from "../src/stats/time-zones";
import { json, postGraphQL } from "./support/http";
import { startTestApp, type TestApp } from "./support/test-app";
import { expectBadUserInput } from "./support/timeline";

// Refusals say what is wrong, the same way whichever database serves.

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

describe("time zones", () => {
  const BUCKETS = `query($zone: String) { timelineStats { buckets(interval: MONTH, timeZone: $zone) { start count } } }`;

  it("are one list, which the database knows every name of", async () => {
    const unknown = await app.db.prisma.$queryRaw<Array<{ zone: string }>>`
      SELECT z AS zone FROM unnest(${[...TIME_ZONES]}::text[]) AS z WHERE z NOT IN (SELECT name FROM pg_timezone_names)`;
    expect(unknown).toEqual([]);
    expect(TIME_ZONES.size).toBeGreaterThan(400);
    for (const name of ["UTC", "Asia/Karachi", "Asia/Kolkata", "Europe/Kyiv", "America/Argentina/Buenos_Aires", "Etc/UTC"]) expect(TIME_ZONES.has(name)).toBe(true);
  });

  it("refuse an alias a Postgres server knows and the embedded database does not, on both", async () => {
    expectBadUserInput(await app.query(BUCKETS, { zone: "posix/Asia/Karachi" }), 'unknown time zone "posix/Asia/Karachi"');
    const karachi = await app.query(BUCKETS, { zone: "Asia/Karachi" });
    expect(karachi.errors).toBeUndefined();
    expect(karachi.data!.timelineStats.buckets.length).toBeGreaterThan(0);
  });
});

describe("messages", () => {
  it("do not call a refused query a syntax error: it parsed", async () => {
    const deep = `{ location(slug: "islamabad") { ${"parent { ".repeat(12)}slug${" }".repeat(12)} } }`;
    const aliased = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: timeline(first: 1) { totalCount }`).join(" ")} }`;
    for (const query of [deep, aliased]) {
      const body = await json(await postGraphQL(base, { query }));
      expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(body.errors[0].message).toMatch(/limit of \d+ exceeded/);
      expect(body.errors[0].message).not.toMatch(/syntax/i);
    }
  });

  it("name a NUL in a search as such, not as a length", async () => {
    expectBadUserInput(await app.query(`{ timeline(filter: { search: "a\\u0000b" }) { totalCount } }`), "filter.search must not contain NUL characters");
    expectBadUserInput(await app.query(`{ participants(search: "a\\u0000b") { totalCount } }`), "search must not contain NUL characters");
    expectBadUserInput(await app.query(`{ timeline(filter: { search: "${"x".repeat(201)}" }) { totalCount } }`), "at most 200 characters, got 201");
  });
});
