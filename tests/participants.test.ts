import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

let app: TestApp;
let tag: string;

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  await ingestArticle(app, {
    locations: [{ slug: `land-${tag}`, name: `Land ${tag}`, kind: "COUNTRY", countryCode: "ZZ" }],
    participants: [
      { slug: `ministry-${tag}`, name: `Ministry of Sorting ${tag}`, kind: "ORGANIZATION", country: `land-${tag}` },
      { slug: `sorters-${tag}`, name: `Sorters ${tag}`, kind: "GROUP", aliases: [`Ministry ${tag} Crowd`] },
      { slug: `zed-${tag}`, name: `Zed ${tag} Ministry`, kind: "PERSON", description: "A person." },
    ],
    events: [
      {
        key: "a",
        title: `Sorting begins ${tag}`,
        date: "2021-05-01",
        category: "OTHER",
        participants: [{ participant: `ministry-${tag}`, role: "ACTOR" }],
      },
    ],
  });
});
afterAll(() => app.close());

const SEARCH = `query($search: String, $kind: ParticipantKind, $first: Int, $after: String) {
  participants(search: $search, kind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { slug name kind aliases } }
  }
}`;

describe("participant(slug)", () => {
  it("returns the participant with its country and events", async () => {
    const { data } = await app.query(`{ participant(slug: "ministry-${tag}") {
      slug name kind description country { slug kind }
      events { totalCount edges { node { title } } }
    } }`);
    expect(data!.participant).toEqual({
      slug: `ministry-${tag}`,
      name: `Ministry of Sorting ${tag}`,
      kind: "ORGANIZATION",
      description: null,
      country: { slug: `land-${tag}`, kind: "COUNTRY" },
      events: { totalCount: 1, edges: [{ node: { title: `Sorting begins ${tag}` } }] },
    });
  });

  it("is null for an unknown slug", async () => {
    const result = await app.query(`{ participant(slug: "nobody-${tag}") { slug } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.participant).toBeNull();
  });
});

describe("participants(search)", () => {
  it("matches names and aliases case-insensitively, best match first", async () => {
    const { data } = await app.query(SEARCH, { search: `MINISTRY ${tag}` });
    const slugs = data!.participants.edges.map((edge: any) => edge.node.slug);
    // The alias that starts with the term outranks names that only contain it.
    expect(slugs[0]).toBe(`sorters-${tag}`);
    expect(slugs).toEqual(expect.arrayContaining([`ministry-${tag}`, `zed-${tag}`]));
    expect(data!.participants.totalCount).toBe(slugs.length);
  });

  it("puts an exact name before partial matches", async () => {
    const { data } = await app.query(SEARCH, { search: `zed ${tag} ministry` });
    expect(data!.participants.edges[0].node.slug).toBe(`zed-${tag}`);
  });

  it("forgives a typo", async () => {
    const { data } = await app.query(SEARCH, { search: "Amirabdolahian" });
    expect(data!.participants.edges.map((edge: any) => edge.node.slug)).toContain("hossein-amirabdollahian");
  });

  it("treats LIKE wildcards in the term as plain characters", async () => {
    const { data } = await app.query(SEARCH, { search: "%" });
    expect(data!.participants.totalCount).toBe(0);
  });

  it("filters by kind", async () => {
    const { data } = await app.query(SEARCH, { search: tag, kind: "PERSON" });
    expect(data!.participants.edges.map((edge: any) => edge.node.slug)).toEqual([`zed-${tag}`]);
  });

  it("pages through everything without search, alphabetically, with cursors", async () => {
    const all = await app.query(SEARCH, { first: 100 });
    const names: string[] = all.data!.participants.edges.map((edge: any) => edge.node.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), "en")));

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await app.query(SEARCH, { first: 4, after })).data!.participants;
      seen.push(...page.edges.map((edge: any) => edge.node.name));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);
  });

  it("refuses bad paging and over-long terms with BAD_USER_INPUT", async () => {
    for (const variables of [{ first: 0 }, { first: 101 }, { after: "nope" }, { search: "x".repeat(101) }]) {
      const result = await app.query(SEARCH, variables);
      expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.data).toBeNull();
    }
  });
});
