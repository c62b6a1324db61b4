import { ingestArticle, uniqueTag } from "./support/factories";
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

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
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
    // The role is part of the page statement; the participant's slug is one more.
    [{ roles: ["VICTIM"] }, 1],
    [{ participants: [`people-${"TAG"}`], roles: ["VICTIM"] }, 2],
    // The area's places are one statement, as a locations filter's subtree is.
    [{ roles: ["ACTOR"], box: { south: -90, west: -180, north: 90, east: 180 } }, 2],
  ])("%j: %i statement(s), for 5 events as for 100", async (filter, expected) => {
    const concrete = JSON.parse(JSON.stringify(filter).replace("TAG", place.slice("city-".length)));
    expect(await statements(concrete, 5)).toBe(expected);
    expect(await statements(concrete, 100)).toBe(expected);
  });
});
