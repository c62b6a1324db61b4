import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// A page reads the lists its query selects under edges.node (participants, sources, causes) in
// its own statement and hands them to the request's loaders. These check that a page costs one
// statement whatever it shows, that it reads only what is selected (however the selection is
// written), and that it serves exactly the lists the loaders serve elsewhere, in their order.

let app: TestApp;
let tag: string;
let place: string;
const ids: Record<string, string> = {};
let newsUrl: string;
let olderUrl: string;
/** The SQL of every statement sent, to see what a page's statement reads. */
const sent: string[] = [];

const FULL_NODE = `id title date occurredAt
  location { slug }
  participants { role participant { id slug name kind aliases description } }
  sources { id url title publisher author publishedAt }
  causes { id title summary date occurredAt precision category status fatalities injured }`;

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  place = `place-${tag}`;
  olderUrl = `https://example.org/older-${tag}`;
  newsUrl = `https://example.org/news-${tag}`;
  // Names chosen so that role order and name order disagree with insertion order.
  const participants = [
    { slug: `zulu-${tag}`, name: `Zulu ${tag}`, kind: "ARMED_GROUP", aliases: ["Z"] },
    { slug: `alpha-${tag}`, name: `Alpha ${tag}`, kind: "COUNTRY", description: "A country" },
    { slug: `mike-${tag}`, name: `Mike ${tag}`, kind: "PERSON" },
  ];
  await ingestArticle(app, {
    url: olderUrl,
    publishedAt: "2024-01-02T08:00:00Z",
    locations: [{ slug: place, name: `Place ${tag}`, kind: "COUNTRY" }],
    participants,
    events: [{ key: "root", title: `Root ${tag}`, date: "2024-01-01", category: "STATEMENT", location: place }],
  });
  const news = await ingestArticle(app, {
    url: newsUrl,
    publishedAt: "2024-01-05T08:00:00Z",
    participants,
    events: [
      { key: "cause-b", title: `Cause B ${tag}`, date: "2024-01-03", category: "ATTACK", fatalities: 2, location: place },
      { key: "cause-a", title: `Cause A ${tag}`, summary: "Earlier", date: "2024-01-02T10:00:00Z", category: "AIRSTRIKE", location: place },
      {
        key: "busy",
        title: `Busy ${tag}`,
        date: "2024-01-04",
        category: "ARMED_CLASH",
        location: place,
        participants: [
          { participant: `zulu-${tag}`, role: "VICTIM" },
          { participant: `mike-${tag}`, role: "ACTOR" },
          { participant: `alpha-${tag}`, role: "ACTOR" },
          { participant: `alpha-${tag}`, role: "TARGET" },
        ],
        causes: ["cause-b", "cause-a"],
      },
      { key: "bare", title: `Bare ${tag}`, date: "2024-01-05", category: "OTHER", location: place },
    ],
  });
  const idOf = (title: string) => String(news.events.find((event) => event.title === `${title} ${tag}`)!.id);
  Object.assign(ids, { causeA: idOf("Cause A"), causeB: idOf("Cause B"), busy: idOf("Busy"), bare: idOf("Bare") });
  app.db.prisma.$on("query", (event) => sent.push(event.query));
  // Two articles for the busy event: the older one must come first.
  const update = await app.write(`mutation($id: ID!, $urls: [String!]) { updateEvent(id: $id, input: { sourceUrls: $urls }) { id } }`, {
    id: ids.busy,
    urls: [newsUrl, olderUrl],
  });
  expect(update.errors).toBeUndefined();
});
afterAll(() => app.close());

async function page(query: string, variables: Record<string, unknown> = {}) {
  const before = app.db.statements.count;
  sent.length = 0;
  const result = await app.query<Record<string, any>>(query, { place, ...variables });
  expect(result.errors).toBeUndefined();
  const sql = sent.join("\n");
  const read = { participants: sql.includes("event_participants"), sources: sql.includes("event_sources"), causes: sql.includes("event_links") };
  return { statements: app.db.statements.count - before, data: result.data!, read };
}

const nodesOf = (connection: any): Array<Record<string, any>> => connection.edges.map((edge: any) => edge.node);

describe("one statement a page", () => {
  it("serves location, participants, sources and causes of every event with the page itself", async () => {
    const bare = await page(`query { timeline(first: 5) { edges { node { id } } } }`);
    const full = await page(`query { timeline(first: 5) { edges { node { ${FULL_NODE} } } } }`);
    expect(bare.statements).toBe(1);
    expect(full.statements).toBe(1);
  });

  it("adds one statement for the filter's place subtree, and none for the page size", async () => {
    const small = await page(`query($place: String!) { timeline(first: 2, filter: { locations: [$place] }) { edges { node { ${FULL_NODE} } } } }`);
    const large = await page(`query($place: String!) { timeline(first: 100, filter: { locations: [$place] }) { edges { node { ${FULL_NODE} } } } }`);
    expect(nodesOf(small.data.timeline)).toHaveLength(2);
    expect(nodesOf(large.data.timeline)).toHaveLength(5);
    expect(small.statements).toBe(2);
    expect(large.statements).toBe(2);
  });

  it("does the same for Location.events and Participant.events", async () => {
    const byPlace = await page(`query($place: String!) { location(slug: $place) { events(first: 10) { edges { node { ${FULL_NODE} } } } } }`);
    // location, its subtree, the page
    expect(byPlace.statements).toBe(3);
    expect(nodesOf(byPlace.data.location.events)).toHaveLength(5);
    const byParticipant = await page(`query($slug: String!) { participant(slug: $slug) { events(first: 10) { edges { node { ${FULL_NODE} } } } } }`, {
      slug: `alpha-${tag}`,
    });
    // participant, the page
    expect(byParticipant.statements).toBe(2);
    expect(nodesOf(byParticipant.data.participant.events).map((node) => node.id)).toEqual([ids.busy]);
  });
});

describe("reads what the query selects, however it is written", () => {
  const cases: Array<{ name: string; query: string; variables?: Record<string, unknown>; lists: Array<"participants" | "sources" | "causes"> }> = [
    { name: "no list", query: `query { timeline(first: 5) { edges { node { id title location { slug } } } } }`, lists: [] },
    { name: "a fragment on Event", query: `query { timeline(first: 5) { edges { node { ...E } } } } fragment E on Event { sources { url } }`, lists: ["sources"] },
    { name: "an inline fragment on the edge", query: `query { timeline(first: 5) { edges { ... on EventEdge { node { causes { id } } } } } }`, lists: ["causes"] },
    { name: "aliases", query: `query { timeline(first: 5) { e: edges { n: node { who: participants { role } } } } }`, lists: ["participants"] },
    {
      name: "@skip and @include",
      query: `query($no: Boolean!) { timeline(first: 5) { edges { node { participants @skip(if: $no) { role } sources @include(if: $no) { url } } } } }`,
      variables: { no: true },
      lists: ["sources"],
    },
  ];
  test.each(cases)("$name", async ({ query, variables, lists }) => {
    const { statements, read } = await page(query, variables);
    expect(statements).toBe(1);
    expect(read).toEqual({ participants: lists.includes("participants"), sources: lists.includes("sources"), causes: lists.includes("causes") });
  });

  it("still serves a list the page did not read (consequences) through its loader", async () => {
    const { statements, data } = await page(`query($place: String!) { timeline(first: 10, filter: { locations: [$place] }) { edges { node { id consequences { id } } } } }`);
    // subtree, page, consequences
    expect(statements).toBe(3);
    const consequences = Object.fromEntries(nodesOf(data.timeline).map((node) => [node.id, node.consequences.map((c: any) => c.id)]));
    expect(consequences[ids.causeA]).toEqual([ids.busy]);
    expect(consequences[ids.causeB]).toEqual([ids.busy]);
  });
});

describe("reads only the columns the selected fields need", () => {
  const pageSql = () => sent.find((sql) => sql.includes("FROM events e") && sql.includes("LIMIT")) ?? "";

  it("the id and the time order's key for `id`; a toll's columns only when the toll is asked for; no place join without location", async () => {
    await page(`query($place: String!) { timeline(first: 5, filter: { locations: [$place] }) { edges { node { id title } } } }`);
    const lean = pageSql();
    expect(lean).toContain('AS "title"');
    for (const column of ['AS "summary"', 'AS "deathsText"', 'AS "version"', 'AS "updatedAt"', 'AS "locationId"', "LEFT JOIN locations"]) expect(lean).not.toContain(column);
    await page(`query($place: String!) { timeline(first: 5, filter: { locations: [$place] }) { edges { node { id deaths { text } location { slug } } } } }`);
    const tolled = pageSql();
    for (const column of ['AS "deathsText"', 'AS "deathsQualifier"', 'AS "locationId"', "LEFT JOIN locations"]) expect(tolled).toContain(column);
    expect(tolled).not.toContain('AS "injuriesText"');
  });

  const FIELDS = [
    "title",
    "summary",
    "occurredAt",
    "precision",
    "category",
    "status",
    "fatalities",
    "injured",
    "version",
    "createdAt",
    "updatedAt",
    "date",
    "timeWindow { earliest latest earliestBound latestBound }",
    "deaths { best low high qualifier text }",
    "injuries { best low high qualifier text }",
    "location { slug name }",
    "claims { statement }",
    "revisions { version kind }",
    "causes { id title date deaths { best } location { slug } }",
    "consequences { id title }",
  ];
  test.each(FIELDS)("each field alone, as event(id) serves it: %s", async (field) => {
    const { data } = await page(`query($place: String!) { timeline(first: 10, filter: { locations: [$place] }) { edges { node { id ${field} } } } }`);
    const nodes = nodesOf(data.timeline);
    expect(nodes.length).toBe(5);
    for (const node of nodes) {
      const one = await app.query<{ event: Record<string, unknown> }>(`query($id: ID!) { event(id: $id) { id ${field} } }`, { id: node.id });
      expect(one.errors).toBeUndefined();
      expect(node).toEqual(one.data!.event);
    }
  });

  it("serves the same causes whole where the request asks more of them than the page read", async () => {
    const { data } = await page(
      `query($place: String!, $id: ID!) {
        timeline(first: 10, filter: { locations: [$place] }) { edges { node { id causes { id } } } }
        event(id: $id) { causes { id summary category fatalities } }
      }`,
      { id: ids.busy },
    );
    const busy = nodesOf(data.timeline).find((node) => node.id === ids.busy)!;
    expect(busy.causes.map((cause: any) => cause.id)).toEqual([ids.causeA, ids.causeB]);
    expect(data.event.causes).toEqual([
      { id: ids.causeA, summary: "Earlier", category: "AIRSTRIKE", fatalities: null },
      { id: ids.causeB, summary: null, category: "ATTACK", fatalities: 2 },
    ]);
  });
});

describe("serves the lists the loaders serve", () => {
  it("in the same order: roles, then names; oldest article first; causes in time order", async () => {
    const { data } = await page(`query($place: String!) { timeline(first: 10, filter: { locations: [$place] }) { edges { node { ${FULL_NODE} } } } }`);
    const busy = nodesOf(data.timeline).find((node) => node.id === ids.busy)!;
    expect(busy.participants.map((p: any) => [p.role, p.participant.slug])).toEqual([
      ["ACTOR", `alpha-${tag}`],
      ["ACTOR", `mike-${tag}`],
      ["TARGET", `alpha-${tag}`],
      ["VICTIM", `zulu-${tag}`],
    ]);
    expect(busy.sources.map((s: any) => s.url)).toEqual([olderUrl, newsUrl]);
    expect(busy.sources[0].publishedAt).toBe("2024-01-02T08:00:00.000Z");
    expect(busy.causes.map((c: any) => c.id)).toEqual([ids.causeA, ids.causeB]);
    expect(busy.causes[0]).toMatchObject({ summary: "Earlier", date: "2024-01-02T10:00:00.000Z", occurredAt: "2024-01-02T10:00:00.000Z", precision: "TIME", category: "AIRSTRIKE" });
    const bare = nodesOf(data.timeline).find((node) => node.id === ids.bare)!;
    expect([bare.participants, bare.sources.map((s: any) => s.url), bare.causes]).toEqual([[], [newsUrl], []]);
  });

  it("field for field, as event(id) reads them through the loaders", async () => {
    const { data } = await page(`query($place: String!) { timeline(first: 10, filter: { locations: [$place] }) { edges { node { ${FULL_NODE} } } } }`);
    for (const node of nodesOf(data.timeline)) {
      const one = await app.query<{ event: Record<string, unknown> }>(`query($id: ID!) { event(id: $id) { ${FULL_NODE} } }`, { id: node.id });
      expect(one.errors).toBeUndefined();
      expect(node).toEqual(one.data!.event);
    }
  });

  it("and the same through a participant's and a place's events", async () => {
    const { data } = await page(
      `query($place: String!, $slug: String!) {
        timeline(first: 10, filter: { locations: [$place] }) { edges { node { ${FULL_NODE} } } }
        participant(slug: $slug) { events(first: 10) { edges { node { ${FULL_NODE} } } } }
        location(slug: $place) { events(first: 10) { edges { node { ${FULL_NODE} } } } }
      }`,
      { slug: `mike-${tag}` },
    );
    expect(nodesOf(data.location.events)).toEqual(nodesOf(data.timeline));
    expect(nodesOf(data.participant.events)).toEqual(nodesOf(data.timeline).filter((node) => node.id === ids.busy));
  });
});

describe("whatever the database session's TimeZone", () => {
  // JSON has no dates: instants inside the lists travel as epoch milliseconds, because the text
  // Postgres writes for a timestamptz follows the session's TimeZone, and for old dates that is
  // an offset with seconds (Asia/Karachi: +04:28:12) that JavaScript cannot read.
  it("reads instants in the lists back exactly, even in year 1", async () => {
    const early = await ingestArticle(app, {
      url: `https://example.org/ancient-${tag}`,
      publishedAt: "0001-03-04T05:06:07.089Z",
      events: [
        { key: "old-cause", title: `Old cause ${tag}`, date: "0001-01-01", category: "OTHER" },
        { key: "old-effect", title: `Old effect ${tag}`, date: "0001-02", category: "OTHER", causes: ["old-cause"] },
      ],
    });
    const effect = early.events.find((event) => event.title === `Old effect ${tag}`)!;
    const { Prisma } = await import("../src/generated/prisma/client");
    const { sourcesOfEventJson } = await import("../src/sources/source.service");
    const { sourcesFromJson } = await import("../src/sources/source.columns");
    const { causesOfEventJson } = await import("../src/events/event.service");
    const { eventsFromJson } = await import("../src/events/event.columns");
    const [row] = await app.db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL TimeZone = 'Asia/Karachi'`;
      return tx.$queryRaw<Array<{ sources: any[]; causes: any[]; zone: string }>>`
        SELECT ${sourcesOfEventJson(Prisma.sql`${effect.id}::int`)} AS sources,
               ${causesOfEventJson(Prisma.sql`${effect.id}::int`)} AS causes,
               current_setting('TimeZone') AS zone`;
    });
    expect(row.zone).toBe("Asia/Karachi");
    expect(sourcesFromJson(row.sources).map((source) => source.publishedAt.toISOString())).toEqual(["0001-03-04T05:06:07.089Z"]);
    expect(eventsFromJson(row.causes).map((cause) => cause.occurredAt.toISOString())).toEqual(["0001-01-01T00:00:00.000Z"]);
  });
});
