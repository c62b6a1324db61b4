import { parse } from "csv-parse/sync";
import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

let app: TestApp;
let base: string;
let tag: string;

beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
  tag = uniqueTag();
  // More events than one export batch (1,000), so the keyset walk crosses batches; an article takes 500 at most.
  await ingestArticle(app, { locations: [{ slug: `bulk-${tag}`, name: `Bulk ${tag}`, kind: "COUNTRY" }], events: [] });
  for (let chunk = 0; chunk < 3; chunk++) {
    await ingestArticle(app, {
      events: Array.from({ length: 412 }, (_, offset) => {
        const index = chunk * 412 + offset;
        return {
          key: `e${index}`,
          title: `Bulk event ${index}, "quoted"\nsecond line`,
          date: `2010-01-${String((index % 28) + 1).padStart(2, "0")}`,
          category: index % 2 ? "PROTEST" : "RIOT",
          location: `bulk-${tag}`,
          fatalities: index % 3 ? null : index,
        };
      }),
    });
  }
});
afterAll(() => app.close());

const csvRows = async (query: string) => {
  const response = await fetch(`${base}/export/events.csv?${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
  return parse(await response.text(), { columns: true }) as Array<Record<string, string>>;
};

describe("GET /export/events.csv", () => {
  it("has one row per seed event, with participants and sources flattened", async () => {
    const rows = await csvRows("locations=pakistan,iran");
    const { data } = await app.query(`{ timeline(first: 100, filter: { locations: ["pakistan", "iran"] }) { totalCount edges { node { id } } } }`);
    expect(rows.map((row) => row.id)).toEqual(data!.timeline.edges.map((edge: any) => edge.node.id));
    const strike = rows.find((row) => row.title === "Iran launches airstrikes in Pakistan's Baluchistan province")!;
    expect(strike).toMatchObject({
      date: "2024-01-17",
      precision: "DAY",
      category: "AIRSTRIKE",
      fatalities: "2",
      injured: "3",
      location: "baluchistan",
      country_code: "PK",
    });
    expect(strike.participants.split("|")).toEqual(expect.arrayContaining(["ACTOR:iran", "TARGET:jaish-al-adl"]));
    expect(strike.sources).toMatch(/^https:\/\/toronto\.citynews\.ca\//);
    expect(strike).toMatchObject({ earliest: "2024-01-17T00:00:00.000Z", latest: "2024-01-17T23:59:59.999Z" });
    const recall = rows.find((row) => row.title.startsWith("Pakistan recalls"))!;
    expect(recall).toMatchObject({ date: "2024-01", earliest: "2024-01-17T00:00:00.000Z", latest: "2024-01-29T05:49:00.000Z" });
  });

  it("walks every matching event across batches, in order, with the filter applied", async () => {
    const rows = await csvRows(`locations=bulk-${tag}&categories=RIOT&order=DESC`);
    expect(rows).toHaveLength(618);
    expect(new Set(rows.map((row) => row.id)).size).toBe(618);
    // The timeline's order, reversed (these events have no causal links, so depth ties).
    const keys = rows.map((row) => [row.earliest, Number(row.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [at, id] = keys[i];
      const [prevAt, prevId] = keys[i - 1];
      expect(at < prevAt || (at === prevAt && id < prevId)).toBe(true);
    }
    expect(rows[0].title).toBe(`Bulk event ${rows[0].title.match(/\d+/)![0]}, "quoted"\nsecond line`);
  });

  it.each([
    ["from=2024-13", "2024-13"],
    ["categories=BOMBING", "BOMBING"],
    ["locations=atlantis", "atlantis"],
    ["minFatalities=lots", "minFatalities"],
    ["order=SIDEWAYS", "order"],
    ["colour=red", "colour"],
    ["from=2024&from=2023", "from"],
  ])("answers %s with 400 and the reason", async (query, named) => {
    const response = await fetch(`${base}/export/events.csv?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe("BAD_USER_INPUT");
    expect(body.error.message).toContain(named);
  });
});

describe("GET /export/timeline.json", () => {
  it("is TimelineJS 3 JSON: dates at their precision, grouped by category, unique ids", async () => {
    const response = await fetch(`${base}/export/timeline.json?participants=pakistan`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    const { data } = await app.query(`{ timeline(first: 100, filter: { participants: ["pakistan"] }) { edges { node { id title category date status } } } }`);
    const nodes = data!.timeline.edges.map((edge: any) => edge.node);
    expect(body.events.map((event: any) => event.unique_id)).toEqual(nodes.map((node: any) => `event-${node.id}`));
    for (const [index, event] of body.events.entries()) {
      expect(event.group).toBe(nodes[index].category);
      expect(event.start_date.display_date).toBe(nodes[index].date);
    }
    const recall = body.events.find((event: any) => event.text.headline.startsWith("Pakistan recalls"));
    // Dated to January, its window runs from the strikes it answered (a day) to the report (an instant).
    expect(recall.start_date).toEqual({ year: 2024, month: 1, day: 17, display_date: "2024-01" });
    expect(recall.end_date).toEqual({ year: 2024, month: 1, day: 29, hour: 5, minute: 49, second: 0 });
    const strikes = body.events.find((event: any) => event.text.headline.startsWith("Iran launches airstrikes"));
    expect(strikes).toMatchObject({ start_date: { year: 2024, month: 1, day: 17, display_date: "2024-01-17" } });
    expect(strikes.end_date).toBeUndefined();
    expect(body.events.map((event: any) => event.text.headline.endsWith("(planned)"))).toEqual(nodes.map((node: any) => node.status === "PLANNED"));
    const everything = (await (await fetch(`${base}/export/timeline.json?statuses=PLANNED`)).json()) as any;
    expect(everything.events.length).toBeGreaterThan(0);
    for (const event of everything.events) expect(event.text.headline).toMatch(/\(planned\)$/);
  });

  it("escapes markup from the data", async () => {
    const own = uniqueTag();
    await ingestArticle(app, {
      locations: [{ slug: `x-${own}`, name: "X", kind: "COUNTRY" }],
      events: [{ key: "a", title: `<script>alert(1)</script>`, date: "2001", category: "OTHER", location: `x-${own}` }],
    });
    const body = (await (await fetch(`${base}/export/timeline.json?locations=x-${own}`)).json()) as any;
    expect(body.events).toHaveLength(1);
    expect(body.events[0].text.headline).toBe("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(body.events[0].start_date).toEqual({ year: 2001, display_date: "2001" });
  });
});
