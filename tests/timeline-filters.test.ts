import { startTestApp, type TestApp } from "./support/test-app";
import { idsOf, ingestScenario, timelinePage, uniqueWord, type EventSpec, type Scenario } from "./support/timeline";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

/** The ids the timeline returns for a filter (one page of 100), checking totalCount agrees with them. */
async function matching(filter: Record<string, unknown>): Promise<string[]> {
  const page = await timelinePage(app, { filter, first: 100 });
  expect(page.totalCount).toBe(page.edges.length);
  return idsOf(page);
}

describe("from and to cover whole periods, both inclusive", () => {
  const events: EventSpec[] = [
    { key: "year2023", date: "2023" },
    { key: "dec31", date: "2023-12-31" },
    { key: "year2024", date: "2024" },
    { key: "january", date: "2024-01" },
    { key: "jan19", date: "2024-01-19" },
    { key: "jan19-last-instant", date: "2024-01-19T23:59:59.999Z" },
    { key: "jan20-first-instant", date: "2024-01-20T00:00:00Z" },
    { key: "jan20", date: "2024-01-20" },
    { key: "jan31", date: "2024-01-31" },
    { key: "jan31-last-instant", date: "2024-01-31T23:59:59.999Z" },
    { key: "feb01", date: "2024-02-01" },
    { key: "february", date: "2024-02" },
  ];
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await ingestScenario(app, events);
  });

  test.each([
    {
      bounds: { from: "2024-01-20" },
      keys: ["year2024", "january", "jan20-first-instant", "jan20", "jan31", "jan31-last-instant", "feb01", "february"],
    },
    {
      bounds: { to: "2024-01" },
      keys: ["year2023", "dec31", "year2024", "january", "jan19", "jan19-last-instant", "jan20-first-instant", "jan20", "jan31", "jan31-last-instant"],
    },
    { bounds: { from: "2024-01-20", to: "2024-01-20" }, keys: ["year2024", "january", "jan20-first-instant", "jan20"] },
    { bounds: { from: "2024-02" }, keys: ["year2024", "feb01", "february"] },
    { bounds: { from: "2024-01", to: "2024-01" }, keys: ["year2024", "january", "jan19", "jan19-last-instant", "jan20-first-instant", "jan20", "jan31", "jan31-last-instant"] },
    { bounds: { to: "2023" }, keys: ["year2023", "dec31"] },
    { bounds: { from: "2023-12-31", to: "2023-12-31" }, keys: ["year2023", "dec31"] },
    { bounds: { from: "2024" }, keys: events.slice(2).map((event) => event.key) },
    // TIME bounds: the instant itself; an offset moves it.
    { bounds: { to: "2024-01-19T23:59:59.999Z" }, keys: ["year2023", "dec31", "year2024", "january", "jan19", "jan19-last-instant"] },
    {
      bounds: { from: "2024-01-20T00:00:00+01:00", to: "2024-01-20T00:59:59.999+01:00" },
      keys: ["year2024", "january", "jan19", "jan19-last-instant"],
    },
  ])("$bounds", async ({ bounds, keys }) => {
    expect(await matching({ ...bounds, locations: [scenario.place] })).toEqual(scenario.ids(keys));
  });
});

describe("locations", () => {
  let scenario: Scenario;
  let slugs: { region: string; city: string; site: string; elsewhere: string };

  beforeAll(async () => {
    const tag = uniqueWord();
    slugs = { region: `region-${tag}`, city: `city-${tag}`, site: `site-${tag}`, elsewhere: `elsewhere-${tag}` };
    scenario = await ingestScenario(
      app,
      [
        { key: "in-country", date: "2024-03-01" },
        { key: "in-region", date: "2024-03-02", location: slugs.region },
        { key: "in-city", date: "2024-03-03", location: slugs.city },
        { key: "at-site", date: "2024-03-04", location: slugs.site },
        { key: "elsewhere", date: "2024-03-05", location: slugs.elsewhere },
        { key: "nowhere", date: "2024-03-06", location: null },
      ],
      {
        tag,
        locations: [
          // Listed child first: the hierarchy must not depend on the order of the input.
          { slug: slugs.site, name: `Site ${tag}`, kind: "SITE", parent: slugs.city },
          { slug: slugs.city, name: `City ${tag}`, kind: "CITY", parent: slugs.region },
          { slug: slugs.region, name: `Region ${tag}`, kind: "REGION", parent: `place-${tag}` },
          { slug: slugs.elsewhere, name: `Elsewhere ${tag}`, kind: "COUNTRY" },
        ],
      },
    );
  });

  test("a country finds the events anywhere beneath it, down to a site", async () => {
    expect(await matching({ locations: [scenario.place] })).toEqual(scenario.ids(["in-country", "in-region", "in-city", "at-site"]));
  });

  test("each level finds its own events and those beneath it, never those above", async () => {
    expect(await matching({ locations: [slugs.region] })).toEqual(scenario.ids(["in-region", "in-city", "at-site"]));
    expect(await matching({ locations: [slugs.city] })).toEqual(scenario.ids(["in-city", "at-site"]));
    expect(await matching({ locations: [slugs.site] })).toEqual(scenario.ids(["at-site"]));
  });

  test("several locations match any of them, overlapping subtrees counted once", async () => {
    expect(await matching({ locations: [slugs.site, slugs.elsewhere] })).toEqual(scenario.ids(["at-site", "elsewhere"]));
    expect(await matching({ locations: [scenario.place, slugs.city, slugs.site] })).toEqual(
      scenario.ids(["in-country", "in-region", "in-city", "at-site"]),
    );
  });

  test("Location.events is the same subtree", async () => {
    const result = await app.query<{ location: { events: { totalCount: number; edges: Array<{ node: { id: string } }> } } }>(
      `query($slug: String!) { location(slug: $slug) { events(first: 100) { totalCount edges { node { id } } } } }`,
      { slug: slugs.region },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.location.events.edges.map((edge) => edge.node.id)).toEqual(scenario.ids(["in-region", "in-city", "at-site"]));
    expect(result.data!.location.events.totalCount).toBe(3);
  });
});

describe("participants", () => {
  let scenario: Scenario;
  let slugs: { a: string; b: string; c: string; idle: string };

  beforeAll(async () => {
    const tag = uniqueWord();
    slugs = { a: `alpha-${tag}`, b: `bravo-${tag}`, c: `charlie-${tag}`, idle: `idle-${tag}` };
    const participants = Object.entries(slugs).map(([name, slug]) => ({ slug, name: `${name} ${tag}`, kind: "ARMED_GROUP" }));
    scenario = await ingestScenario(
      app,
      [
        { key: "a-acts", date: "2024-04-01", participants: [{ participant: slugs.a, role: "ACTOR" }] },
        { key: "b-targeted", date: "2024-04-02", participants: [{ participant: slugs.b, role: "TARGET" }] },
        {
          key: "a-and-b",
          date: "2024-04-03",
          participants: [
            { participant: slugs.a, role: "ACTOR" },
            { participant: slugs.b, role: "TARGET" },
          ],
        },
        {
          key: "a-twice",
          date: "2024-04-04",
          participants: [
            { participant: slugs.a, role: "HOST" },
            { participant: slugs.a, role: "PARTICIPANT" },
          ],
        },
        { key: "c-only", date: "2024-04-05", participants: [{ participant: slugs.c, role: "VICTIM" }] },
        { key: "nobody", date: "2024-04-06" },
      ],
      { tag, participants },
    );
  });

  test("one participant finds the events it has any role in, each once", async () => {
    expect(await matching({ participants: [slugs.a] })).toEqual(scenario.ids(["a-acts", "a-and-b", "a-twice"]));
    expect(await matching({ participants: [slugs.c] })).toEqual(scenario.ids(["c-only"]));
  });

  test("several participants match any of them", async () => {
    expect(await matching({ participants: [slugs.a, slugs.b] })).toEqual(scenario.ids(["a-acts", "b-targeted", "a-and-b", "a-twice"]));
    expect(await matching({ participants: [slugs.b, slugs.c] })).toEqual(scenario.ids(["b-targeted", "a-and-b", "c-only"]));
  });

  test("a known participant with no events matches nothing", async () => {
    expect(await matching({ participants: [slugs.idle] })).toEqual([]);
  });
});

describe("categories, statuses and fatalities", () => {
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await ingestScenario(app, [
      { key: "strike-unknown-toll", date: "2024-05-01", category: "AIRSTRIKE" },
      { key: "strike-no-deaths", date: "2024-05-02", category: "AIRSTRIKE", fatalities: 0 },
      { key: "attack-3", date: "2024-05-03", category: "ATTACK", fatalities: 3 },
      { key: "protest", date: "2024-05-04", category: "PROTEST", fatalities: 10 },
      { key: "talks-planned", date: "2024-05-05", category: "DIPLOMACY", status: "PLANNED" },
      { key: "statement-planned", date: "2024-05-06", category: "STATEMENT", status: "PLANNED", fatalities: 1 },
    ]);
  });

  test("categories match any of the listed ones", async () => {
    const at = (filter: Record<string, unknown>) => matching({ ...filter, locations: [scenario.place] });
    expect(await at({ categories: ["AIRSTRIKE"] })).toEqual(scenario.ids(["strike-unknown-toll", "strike-no-deaths"]));
    expect(await at({ categories: ["ATTACK", "PROTEST"] })).toEqual(scenario.ids(["attack-3", "protest"]));
    expect(await at({ categories: ["RIOT"] })).toEqual([]);
  });

  test("statuses: PLANNED finds only announced events, OCCURRED (the default) the rest", async () => {
    const at = (filter: Record<string, unknown>) => matching({ ...filter, locations: [scenario.place] });
    expect(await at({ statuses: ["PLANNED"] })).toEqual(scenario.ids(["talks-planned", "statement-planned"]));
    expect(await at({ statuses: ["OCCURRED"] })).toEqual(scenario.ids(["strike-unknown-toll", "strike-no-deaths", "attack-3", "protest"]));
    expect(await at({ statuses: ["OCCURRED", "PLANNED"] })).toEqual(scenario.ordered);
  });

  test("minFatalities is at least n, and unknown fatalities never match, not even 0", async () => {
    const at = (minFatalities: number) => matching({ minFatalities, locations: [scenario.place] });
    expect(await at(0)).toEqual(scenario.ids(["strike-no-deaths", "attack-3", "protest", "statement-planned"]));
    expect(await at(1)).toEqual(scenario.ids(["attack-3", "protest", "statement-planned"]));
    expect(await at(3)).toEqual(scenario.ids(["attack-3", "protest"]));
    expect(await at(10)).toEqual(scenario.ids(["protest"]));
    expect(await at(11)).toEqual([]);
  });

  test("empty lists and null fields constrain nothing", async () => {
    const everything = await timelinePage(app, { first: 1 });
    const page = await timelinePage(app, {
      first: 1,
      filter: { categories: [], statuses: [], participants: [], locations: [], from: null, to: null, minFatalities: null, search: null },
    });
    expect(page.totalCount).toBe(everything.totalCount);
    expect(await matching({ locations: [scenario.place], categories: [], statuses: [] })).toEqual(scenario.ordered);
  });
});

describe("search: Postgres full text with English stemming over title and summary", () => {
  let scenario: Scenario;
  let word: string;

  beforeAll(async () => {
    word = uniqueWord();
    scenario = await ingestScenario(app, [
      { key: "striking", date: "2024-06-01", title: `Militia striking the ${word} depot` },
      { key: "strike", date: "2024-06-02", title: `Drone strike near ${word}` },
      { key: "in-summary", date: "2024-06-03", title: "Several raids reported", summary: `Strikes hit the ${word} bridge` },
      { key: "struck", date: "2024-06-04", title: `Jets struck ${word} overnight` },
      { key: "unrelated", date: "2024-06-05", title: "A calm day at the market" },
    ]);
  });

  const at = (search: string) => matching({ search, locations: [scenario.place] });

  test("the database stems strike, strikes and striking alike, but not struck", async () => {
    // What the assertions below rely on, asked of the database the tests run against.
    const [row] = await app.db.prisma.$queryRaw<[{ vector: string }]>`
      SELECT to_tsvector('english', 'strike strikes striking struck')::text AS vector`;
    expect(row.vector).toBe("'strike':1,2,3 'struck':4");
  });

  test("any form of a word finds every form with the same stem, in title or summary, any case", async () => {
    const strikes = scenario.ids(["striking", "strike", "in-summary"]);
    expect(await at("strikes")).toEqual(strikes);
    expect(await at("striking")).toEqual(strikes);
    expect(await at("STRIKE")).toEqual(strikes);
    expect(await at("struck")).toEqual(scenario.ids(["struck"]));
  });

  test("all words must match, in any order", async () => {
    expect(await at(`${word} strike`)).toEqual(scenario.ids(["striking", "strike", "in-summary"]));
    expect(await at(`bridge ${word}`)).toEqual(scenario.ids(["in-summary"]));
    expect(await at(`${word} market`)).toEqual([]);
  });

  test("websearch syntax: or, -exclusion and quoted phrases", async () => {
    expect(await at("strikes or struck")).toEqual(scenario.ids(["striking", "strike", "in-summary", "struck"]));
    expect(await at(`${word} -bridge -depot`)).toEqual(scenario.ids(["strike", "struck"]));
    expect(await at(`"drone strikes"`)).toEqual(scenario.ids(["strike"]));
    expect(await at(`"strike drone"`)).toEqual([]);
  });
});

describe("filters combine with AND, list values with OR", () => {
  interface Spec extends EventSpec {
    category: string;
    who: Array<"a" | "b" | "c">;
  }
  const specs: Spec[] = [
    { key: "e1", date: "2024-07-01", category: "AIRSTRIKE", fatalities: 5, who: ["a"] },
    { key: "e2", date: "2024-07-02", category: "AIRSTRIKE", fatalities: 0, who: ["b"] },
    { key: "e3", date: "2024-07", category: "ATTACK", fatalities: 2, who: ["a", "c"] },
    { key: "e4", date: "2024-08-01", category: "ATTACK", who: ["b"] },
    { key: "e5", date: "2024-08-02", category: "PROTEST", fatalities: 7, who: ["c"] },
    { key: "e6", date: "2024-08-03", category: "AIRSTRIKE", fatalities: 1, who: ["a", "b"], status: "PLANNED" },
    { key: "e7", date: "2024-06-30", category: "ATTACK", fatalities: 9, who: ["a"] },
  ];
  let scenario: Scenario;
  let slug: (who: "a" | "b" | "c") => string;

  beforeAll(async () => {
    const tag = uniqueWord();
    slug = (who) => `${who}-${tag}`;
    scenario = await ingestScenario(
      app,
      specs.map(({ who, ...spec }) => ({ ...spec, participants: who.map((w) => ({ participant: slug(w), role: "ACTOR" })) })),
      { tag, participants: (["a", "b", "c"] as const).map((w) => ({ slug: slug(w), name: `Group ${w} ${tag}`, kind: "ARMED_GROUP" })) },
    );
  });

  // Each case's expected events, worked out by hand from the specs above; each filter excludes something.
  test.each([
    {
      name: "participants any-of AND categories any-of",
      who: ["a", "b"] as const,
      filter: { categories: ["AIRSTRIKE", "PROTEST"] },
      keys: ["e1", "e2", "e6"],
    },
    {
      name: "participants AND minFatalities AND from (a MONTH event reaches past the bound, a DAY event does not)",
      who: ["a"] as const,
      filter: { minFatalities: 2, from: "2024-07-15" },
      keys: ["e3"],
    },
    {
      name: "categories AND to AND statuses",
      who: [] as const,
      filter: { categories: ["AIRSTRIKE", "ATTACK"], to: "2024-07", statuses: ["OCCURRED"] },
      keys: ["e7", "e3", "e1", "e2"],
    },
    {
      name: "every filter at once",
      who: ["b", "c"] as const,
      filter: {
        categories: ["AIRSTRIKE", "ATTACK", "PROTEST"],
        minFatalities: 0,
        from: "2024-07-02",
        to: "2024-08",
        statuses: ["PLANNED", "OCCURRED"],
      },
      keys: ["e2", "e3", "e5", "e6"],
    },
  ])("$name", async ({ who, filter, keys }) => {
    const participants = who.map((w) => slug(w));
    expect(await matching({ ...filter, participants, locations: [scenario.place] })).toEqual(scenario.ids(keys));
  });

  test("totalCount counts every match, not just the page", async () => {
    const page = await timelinePage(app, { filter: { locations: [scenario.place], participants: [slug("a")] }, first: 2 });
    expect(page.edges).toHaveLength(2);
    expect(page.totalCount).toBe(specs.filter((spec) => spec.who.includes("a")).length);
  });
});
