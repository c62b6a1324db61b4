import { readFileSync } from "node:fs";
import path from "node:path";
import { seedDatabase } from "../seed/seed";
import { startTestApp, type TestApp } from "./support/test-app";

interface SeedEvent {
  key: string;
  title: string;
  date: string;
  category: string;
  status?: string;
  location?: string;
  participants?: Array<{ participant: string; role: string }>;
  causes?: string[];
}
const seed = JSON.parse(readFileSync(path.join(__dirname, "..", "seed", "ap-2024-01-29-iran-pakistan.json"), "utf8")) as {
  url: string;
  author: string;
  publisher: string;
  events: SeedEvent[];
};
const seedEvent = (key: string) => seed.events.find((event) => event.key === key)!;

const TIMELINE = `{
  timeline(first: 100) {
    totalCount
    edges { node {
      id title date precision category status fatalities injured
      location { slug }
      participants { role participant { slug } }
      sources { url title publisher author publishedAt }
      causes { title }
    } }
  }
}`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function timeline() {
  const result = await app.query(TIMELINE);
  expect(result.errors).toBeUndefined();
  return result.data!.timeline;
}

describe("the seed", () => {
  it("holds every event of the article, each with the article as its source", async () => {
    const { totalCount, edges } = await timeline();
    expect(totalCount).toBe(seed.events.length);
    for (const { node } of edges) {
      expect(node.sources).toEqual([
        expect.objectContaining({ url: seed.url, author: "Munir Ahmed", publisher: "The Associated Press" }),
      ]);
      expect(node.sources[0].publishedAt.slice(0, 10)).toBe("2024-01-29");
    }
  });

  it("serves each event as the seed file describes it", async () => {
    const { edges } = await timeline();
    const byTitle = new Map(edges.map(({ node }: any) => [node.title, node]));
    for (const event of seed.events) {
      const node: any = byTitle.get(event.title);
      expect(node).toBeDefined();
      expect(node.date).toBe(event.date);
      expect(node.category).toBe(event.category);
      expect(node.status).toBe(event.status ?? "OCCURRED");
      expect(node.location?.slug).toBe(event.location);
      expect(node.participants).toHaveLength(event.participants?.length ?? 0);
      expect(node.causes.map((cause: any) => cause.title).sort()).toEqual(
        (event.causes ?? []).map((key) => seedEvent(key).title).sort(),
      );
    }
  });

  it("resolves the article's weekdays against its date, 29 January 2024, at no more precision than it gives", () => {
    expect(seedEvent("iran-strikes-baluchistan").date).toBe("2024-01-17");
    expect(seedEvent("pakistan-strikes-sistan-baluchestan").date).toBe("2024-01-18"); // "Thursday", a day after
    expect(seedEvent("pakistani-laborers-killed").date).toBe("2024-01-27"); // "Saturday"
    expect(seedEvent("relatives-rally").date).toBe("2024-01-28"); // "Sunday"
    expect(seedEvent("amirabdollahian-talks-in-islamabad").date).toBe("2024-01-29"); // "Monday"
    // The article dates neither the recall nor the condemnation to the day.
    expect(seedEvent("pakistan-recalls-ambassador").date).toBe("2024-01");
    expect(seedEvent("pakistan-condemns-killings").date).toBe("2024-01");
  });

  it("holds the tolls and claims as the article words them", async () => {
    const result = await app.query(`{ timeline(first: 100) { edges { node {
      title status fatalities injured
      deaths { low best high qualifier text } injuries { low best high qualifier text }
      claims { claimant { slug } statement deaths { best qualifier } injuries { best qualifier } source { url } }
    } } } }`);
    const byTitle = new Map(result.data!.timeline.edges.map(({ node }: any) => [node.title, node]));
    const node = (key: string): any => byTitle.get(seedEvent(key).title);
    // "killing at least nine people"
    expect(node("pakistan-strikes-sistan-baluchestan")).toMatchObject({
      fatalities: 9,
      deaths: { low: 9, best: 9, high: null, qualifier: "AT_LEAST", text: "at least nine people" },
      injuries: null,
      claims: [{ claimant: { slug: "pakistan" }, statement: "said it was targeting Baluch militant groups with separatist goals", deaths: null, source: { url: seed.url } }],
    });
    // "shot and killed at least four Pakistani laborers and wounded three others"
    expect(node("pakistani-laborers-killed")).toMatchObject({
      deaths: { low: 4, best: 4, high: null, qualifier: "AT_LEAST", text: "at least four" },
      injuries: { low: 3, best: 3, high: 3, qualifier: "EXACT", text: "three others" },
    });
    // "Pakistan said two children were killed and three others were wounded"; Tehran said it hit
    // hideouts: the event's toll is Pakistan's, the only claim with figures.
    const iranStrikes = node("iran-strikes-baluchistan");
    expect(iranStrikes.claims.map((claim: any) => [claim.claimant.slug, claim.deaths?.best ?? null, claim.injuries?.best ?? null])).toEqual([
      ["pakistan", 2, 3],
      ["iran", null, null],
    ]);
    expect(iranStrikes.claims[1].statement).toContain("hideouts of the anti-Iran militant group Jaish al-Adl");
    expect(iranStrikes.deaths).toEqual({ low: 2, best: 2, high: 2, qualifier: "EXACT", text: "two children" });
    expect([iranStrikes.fatalities, iranStrikes.injured]).toEqual([2, 3]);
    // The ambassadors, plural.
    expect(seedEvent("pakistan-recalls-ambassador").title).toContain("ambassadors");
    expect(node("amirabdollahian-meets-kakar").status).toBe("PLANNED");
    expect(node("joint-news-conference").status).toBe("PLANNED");
  });

  it("holds the repatriation arranged with Iran's help, and the planned briefing on Saturday's killings", async () => {
    const result = await app.query(`{ timeline(first: 100, filter: { participants: ["iran"] }) { edges { node {
      title status date category participants { role participant { slug } } causes { title }
    } } } }`);
    const byTitle = new Map(result.data!.timeline.edges.map(({ node }: any) => [node.title, node]));
    const killings = seedEvent("pakistani-laborers-killed").title;
    expect(byTitle.get(seedEvent("repatriation-of-bodies").title)).toMatchObject({
      status: "OCCURRED",
      category: "HUMANITARIAN",
      participants: expect.arrayContaining([{ role: "PARTICIPANT", participant: { slug: "iran" } }]),
      causes: [{ title: killings }],
    });
    const briefing = await app.query(`query($search: String!) { timeline(filter: { search: $search }) { edges { node { status date causes { title } } } } }`, {
      search: "brief hosts killing laborers",
    });
    expect(briefing.data!.timeline.edges.map(({ node }: any) => node)).toEqual([{ status: "PLANNED", date: "2024-01-29", causes: [{ title: killings }] }]);
  });

  it("places events in the location hierarchy with coordinates", async () => {
    const result = await app.query(`{
      location(slug: "pakistan-foreign-ministry") { kind latitude longitude parent { slug kind parent { slug kind parent { slug kind parent { slug } } } } }
    }`);
    expect(result.data!.location).toMatchObject({
      kind: "SITE",
      parent: { slug: "islamabad", kind: "CITY", parent: { kind: "REGION", parent: { slug: "pakistan", kind: "COUNTRY", parent: null } } },
    });
    expect(result.data!.location.latitude).toBeCloseTo(33.7, 0);
  });

  it("knows Jaish al-Adl as the Army of Justice", async () => {
    const result = await app.query(`{ participants(search: "army of justice") { edges { node { slug aliases kind } } } }`);
    expect(result.data!.participants.edges[0].node).toEqual({ slug: "jaish-al-adl", aliases: ["Army of Justice"], kind: "ARMED_GROUP" });
  });

  it("changes nothing when loaded again", async () => {
    const before = await timeline();
    const stamp = () =>
      app.db.prisma.$queryRaw<Array<{ rows: number; latest: Date }>>`
        SELECT (SELECT count(*) FROM events)::int + (SELECT count(*) FROM participants)::int
             + (SELECT count(*) FROM locations)::int + (SELECT count(*) FROM sources)::int
             + (SELECT count(*) FROM event_links)::int + (SELECT count(*) FROM event_participants)::int AS rows,
               greatest((SELECT max(updated_at) FROM events), (SELECT max(updated_at) FROM participants),
                        (SELECT max(updated_at) FROM locations), (SELECT max(updated_at) FROM sources)) AS latest`;
    const [stored] = await stamp();

    const results = await seedDatabase(app.db);

    expect(results.map(({ created, updated }) => ({ created, updated }))).toEqual([{ created: 0, updated: 0 }]);
    expect(await stamp()).toEqual([stored]);
    expect(await timeline()).toEqual(before);
  });
});
