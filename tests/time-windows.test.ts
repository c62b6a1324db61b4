import { defaultDateRules } from "../src/events/event-dates";
import { parsePartialDate } from "../src/common/partial-date";
import { BulkLoadService } from "../src/ingest/bulk-load";
import { ingestArticle, uniqueTag } from "./support/factories";
import { fingerprint } from "./support/fingerprint";
import { databaseBefore, type DatabaseBefore } from "./support/migration-db";
import { startTestApp, type TestApp } from "./support/test-app";
import { expectBadUserInput, uniqueWord } from "./support/timeline";

// Every event has a time window: the earliest and latest instant it can have started, narrowed
// from its date by explicit bounds, the publication of its sources and its causal links; the
// timeline orders by it and never lists an effect before its cause.

const WINDOW = "timeWindow { earliest latest earliestBound latestBound }";
const EVENT = `id title date ${WINDOW} causes { id }`;
const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { ${EVENT} } }`;
const UPDATE = `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { ${EVENT} } }`;
const TIMELINE = `query($filter: TimelineFilter, $order: SortOrder, $after: String) {
  timeline(filter: $filter, order: $order, first: 100, after: $after) { totalCount edges { node { ${EVENT} } } pageInfo { hasNextPage endCursor } }
}`;

interface EventNode {
  id: string;
  title: string;
  date: string;
  timeWindow: { earliest: string; latest: string; earliestBound: string; latestBound: string };
  causes: Array<{ id: string }>;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type TimelineData = { timeline: { edges: Array<{ node: EventNode }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };

async function timeline(filter: Record<string, unknown> = {}, order = "ASC"): Promise<EventNode[]> {
  const nodes: EventNode[] = [];
  let after: string | null = null;
  for (;;) {
    const result: { data?: TimelineData | null; errors?: unknown } = await app.query<TimelineData>(TIMELINE, { filter, order, after });
    expect(result.errors).toBeUndefined();
    nodes.push(...result.data!.timeline.edges.map((edge) => edge.node));
    if (!result.data!.timeline.pageInfo.hasNextPage) return nodes;
    after = result.data!.timeline.pageInfo.endCursor;
  }
}

const byTitle = (nodes: EventNode[], fragment: string) => nodes.find((node) => node.title.includes(fragment))!;

/** No event is listed before an event it responded to. */
function expectCausesFirst(nodes: EventNode[]): void {
  const position = new Map(nodes.map((node, index) => [node.id, index]));
  for (const [index, node] of nodes.entries()) {
    for (const cause of node.causes) {
      if (position.has(cause.id)) expect(position.get(cause.id)!).toBeLessThan(index);
    }
  }
}

describe("the seed's windows", () => {
  it("narrow the recall and the condemnation by what they answered and when they were reported", async () => {
    const nodes = await timeline({ from: "2024-01", to: "2024-01" });
    expect(byTitle(nodes, "recalls its ambassador").timeWindow).toEqual({
      earliest: "2024-01-17T00:00:00.000Z",
      latest: "2024-01-29T05:49:00.000Z",
      earliestBound: "CAUSE",
      latestBound: "PUBLICATION",
    });
    expect(byTitle(nodes, "condemns the killing").timeWindow).toEqual({
      earliest: "2024-01-27T00:00:00.000Z",
      latest: "2024-01-29T05:49:00.000Z",
      earliestBound: "CAUSE",
      latestBound: "PUBLICATION",
    });
    // A day-dated event reported days later keeps its day.
    expect(byTitle(nodes, "retaliatory airstrikes").timeWindow).toEqual({
      earliest: "2024-01-18T00:00:00.000Z",
      latest: "2024-01-18T23:59:59.999Z",
      earliestBound: "DATE",
      latestBound: "DATE",
    });
  });

  it("sort after the events they answered, in both orders, and no event precedes a cause", async () => {
    const ascending = await timeline();
    expectCausesFirst(ascending);
    const titles = ascending.map((node) => node.title);
    const index = (fragment: string) => titles.findIndex((title) => title.includes(fragment));
    expect(index("recalls its ambassador")).toBeGreaterThan(index("Iran strikes"));
    expect(index("condemns the killing")).toBeGreaterThan(index("Gunmen kill"));
    const descending = await timeline({}, "DESC");
    expect(descending.map((node) => node.id)).toEqual(ascending.map((node) => node.id).reverse());
  });

  it("keep them out of a period after their latest start, and WITHIN asks for the whole window", async () => {
    const after = await timeline({ from: "2024-01-30" });
    expect(after.map((node) => node.title).filter((title) => /recalls|condemns/.test(title))).toEqual([]);
    const overlapping = await timeline({ from: "2024-01-20", to: "2024-01-22" });
    expect(overlapping.map((node) => node.title)).toEqual([expect.stringContaining("recalls its ambassador")]);
    expect(await timeline({ from: "2024-01-20", to: "2024-01-22", dateMatch: "WITHIN" })).toEqual([]);
    const within = await timeline({ from: "2024-01-17", to: "2024-01-29", dateMatch: "WITHIN" });
    expect(within.map((node) => node.title)).toEqual(expect.arrayContaining([expect.stringContaining("recalls"), expect.stringContaining("condemns")]));
    for (const node of within) {
      expect(node.timeWindow.earliest >= "2024-01-17").toBe(true);
      expect(node.timeWindow.latest < "2024-01-30").toBe(true);
    }
  });
});

describe("dashboard buckets", () => {
  const STATS = `query($filter: TimelineFilter, $zone: String) {
    timelineStats(filter: $filter) { count imprecise(interval: DAY, timeZone: $zone) buckets(interval: DAY, timeZone: $zone) { start count uncertain } }
  }`;
  type Stats = { count: number; imprecise: number; buckets: Array<{ start: string; count: number; uncertain: number }> };

  it("cover exactly 17..29 January and add up with imprecise", async () => {
    const { data, errors } = await app.query<{ timelineStats: Stats }>(STATS, { filter: { from: "2024-01-17", to: "2024-01-29" } });
    expect(errors).toBeUndefined();
    const stats = data!.timelineStats;
    expect(stats.buckets).toHaveLength(13);
    expect(stats.buckets[0].start).toBe("2024-01-17T00:00:00.000Z");
    expect(stats.buckets[12].start).toBe("2024-01-29T00:00:00.000Z");
    expect(stats.buckets.reduce((sum, bucket) => sum + bucket.count, 0) + stats.imprecise).toBe(stats.count);
    expect(stats.imprecise).toBeGreaterThanOrEqual(2);
    // The recall may have started on any day from the 17th to the 29th; the condemnation and the
    // repatriation from the 27th.
    const uncertain = Object.fromEntries(stats.buckets.map((bucket) => [bucket.start.slice(0, 10), bucket.uncertain]));
    expect(uncertain["2024-01-17"]).toBeGreaterThanOrEqual(1);
    expect(uncertain["2024-01-28"] - uncertain["2024-01-26"]).toBe(2);
    // No event whose window spans days is counted on 1 January any more.
    expect(stats.buckets.every((bucket) => bucket.start >= "2024-01-17")).toBe(true);
  });

  it("keep a DAY-dated event on its day in every time zone; an instant moves", async () => {
    const tag = uniqueTag();
    await ingestArticle(app, {
      publishedAt: "2021-03-20T12:00:00Z",
      events: [
        { key: "day", title: `Dated to a day ${tag}`, date: "2021-03-10", category: "OTHER" },
        { key: "instant", title: `At an instant ${tag}`, date: "2021-03-12T02:00:00Z", category: "OTHER" },
      ],
    });
    const filter = { from: "2021-03-09", to: "2021-03-13" };
    for (const zone of ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"]) {
      const { data, errors } = await app.query<{ timelineStats: Stats }>(STATS, { filter, zone });
      expect(errors).toBeUndefined();
      const counted = data!.timelineStats.buckets.filter((bucket) => bucket.count);
      // Bucket starts are local midnights written in UTC: the local day is the date in that zone.
      const localDay = (start: string) => new Date(start).toLocaleDateString("en-CA", { timeZone: zone });
      expect(counted.map((bucket) => localDay(bucket.start))).toEqual(
        zone === "America/New_York" ? ["2021-03-10", "2021-03-11"] : ["2021-03-10", "2021-03-12"],
      );
      expect(data!.timelineStats.imprecise).toBe(0);
    }
  });
});

describe("contradictions", () => {
  it("refuse an effect dated before its cause, naming both, and write nothing", async () => {
    const cause = await app.write(CREATE, { input: { title: `Cause ${uniqueTag()}`, date: "2025-05-20", category: "OTHER" } });
    const causeId = cause.data!.createEvent.id;
    const before = await fingerprint(app);
    const refused = await app.write(CREATE, { input: { title: `Too early ${uniqueTag()}`, date: "2025-05-10", category: "STATEMENT", causes: [causeId] } });
    expectBadUserInput(refused, `event ${causeId} (`, "which it follows", "2025-05-20", "2025-05-10");
    expect(await fingerprint(app)).toEqual(before);
  });

  it("refuse a cause moved after its effect, and bounds that leave no window", async () => {
    const cause = (await app.write(CREATE, { input: { title: `Strike ${uniqueTag()}`, date: "2025-06", category: "AIRSTRIKE" } })).data!.createEvent;
    const effect = (await app.write(CREATE, { input: { title: `Reply ${uniqueTag()}`, date: "2025-06-15", category: "STATEMENT", causes: [cause.id] } })).data!
      .createEvent;
    // The reply bounds the strike: it cannot have started after the 15th.
    const stored = (await app.query<{ event: EventNode }>(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id: cause.id })).data!.event;
    expect(stored.timeWindow).toMatchObject({ latest: "2025-06-15T23:59:59.999Z", latestBound: "CONSEQUENCE" });
    const before = await fingerprint(app);
    expectBadUserInput(await app.write(UPDATE, { id: cause.id, input: { date: "2025-06-20" } }), `event ${effect.id} (`, `event ${cause.id} (`);
    expectBadUserInput(await app.write(UPDATE, { id: effect.id, input: { notAfter: "2025-06-14" } }), "notBefore/notAfter", "its date");
    expectBadUserInput(
      await app.write(CREATE, { input: { title: `Bounds ${uniqueTag()}`, date: "2025", notBefore: "2025-09", notAfter: "2025-08", category: "OTHER" } }),
      "input.notBefore must not be after input.notAfter",
    );
    expect(await fingerprint(app)).toEqual(before);
  });

  it("are not made by explicit bounds that narrow inside the date; removing them widens the window again", async () => {
    const event = (await app.write(CREATE, { input: { title: `Bounded ${uniqueTag()}`, date: "2025-07", notBefore: "2025-07-10", notAfter: "2025-07-12T06:00:00Z", category: "OTHER" } }))
      .data!.createEvent;
    expect(event.timeWindow).toEqual({ earliest: "2025-07-10T00:00:00.000Z", latest: "2025-07-12T06:00:00.000Z", earliestBound: "GIVEN", latestBound: "GIVEN" });
    const widened = (await app.write(UPDATE, { id: event.id, input: { notBefore: null, notAfter: null } })).data!.updateEvent;
    expect(widened.timeWindow).toEqual({ earliest: "2025-07-01T00:00:00.000Z", latest: "2025-07-31T23:59:59.999Z", earliestBound: "DATE", latestBound: "DATE" });
  });
});

describe("propagation", () => {
  it("frees an effect's window when its cause is deleted, and follows a link removed by an update", async () => {
    const cause = (await app.write(CREATE, { input: { title: `Cause ${uniqueTag()}`, date: "2026-02-10", category: "OTHER" } })).data!.createEvent;
    const effect = (await app.write(CREATE, { input: { title: `Effect ${uniqueTag()}`, date: "2026-02", category: "OTHER", causes: [cause.id] } })).data!
      .createEvent;
    expect(effect.timeWindow).toMatchObject({ earliest: "2026-02-10T00:00:00.000Z", earliestBound: "CAUSE" });
    const unlinked = (await app.write(UPDATE, { id: effect.id, input: { causes: [] } })).data!.updateEvent;
    expect(unlinked.timeWindow).toMatchObject({ earliest: "2026-02-01T00:00:00.000Z", earliestBound: "DATE" });
    const cause2 = (await app.query<{ event: EventNode }>(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id: cause.id })).data!.event;
    expect(cause2.timeWindow).toMatchObject({ latestBound: "DATE" });
    await app.write(UPDATE, { id: effect.id, input: { causes: [cause.id] } });
    expect((await app.write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id: cause.id })).errors).toBeUndefined();
    const freed = (await app.query<{ event: EventNode }>(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id: effect.id })).data!.event;
    expect(freed.timeWindow).toMatchObject({ earliest: "2026-02-01T00:00:00.000Z", earliestBound: "DATE" });
  });

  it("moves a chain of 1,000 linked events in one write, in a bounded number of statements", async () => {
    const bulk = new BulkLoadService(app.db.prisma, defaultDateRules());
    const word = uniqueWord();
    const ids = await bulk.events(
      Array.from({ length: 1000 }, (_, index) => ({
        key: `link-${index}`,
        title: `Chain ${word} ${index}`,
        date: parsePartialDate("2017"),
        category: "OTHER" as const,
        causes: index ? [`link-${index - 1}`] : [],
      })),
    );
    const before = app.db.statements.count;
    const moved = await app.write(UPDATE, { id: String(ids[0]), input: { notBefore: "2017-03-05" } });
    expect(moved.errors).toBeUndefined();
    expect(app.db.statements.count - before).toBeLessThan(25);
    const nodes = await timeline({ search: word, from: "2017", to: "2017" });
    expect(nodes).toHaveLength(1000);
    expect(nodes.map((node) => node.id)).toEqual(ids.map(String));
    expect(nodes.every((node) => node.timeWindow.earliest === "2017-03-05T00:00:00.000Z")).toBe(true);
    expect(nodes.slice(1).every((node) => node.timeWindow.earliestBound === "CAUSE")).toBe(true);
    // A bound at the end of the chain reaches its first event.
    const capped = await app.write(UPDATE, { id: String(ids[999]), input: { notAfter: "2017-04" } });
    expect(capped.errors).toBeUndefined();
    const first = (await app.query<{ event: EventNode }>(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id: String(ids[0]) })).data!.event;
    expect(first.timeWindow).toMatchObject({ latest: "2017-04-30T23:59:59.999Z", latestBound: "CONSEQUENCE" });
  });
});

describe("the migration that brought windows", () => {
  let before: DatabaseBefore;
  beforeAll(async () => {
    before = await databaseBefore("time_windows");
  });
  afterAll(() => before.close());

  it("computes windows for stored events, keeps contradicting dates and reports each case", async () => {
    const { pglite } = before;
    await pglite.exec(`
      INSERT INTO events (id, title, occurred_at, ends_at, precision, category, status, updated_at) VALUES
        (1, 'Strike', '2024-01-17', '2024-01-18', 'DAY', 'AIRSTRIKE', 'OCCURRED', now()),
        (2, 'Recall', '2024-01-01', '2024-02-01', 'MONTH', 'DIPLOMACY', 'OCCURRED', now()),
        (3, 'Answer dated before', '2024-01-10', '2024-01-11', 'DAY', 'STATEMENT', 'OCCURRED', now()),
        (4, 'Dated after its source', '2024-03-01', '2024-03-02', 'DAY', 'OTHER', 'OCCURRED', now());
      INSERT INTO sources (id, url, title, published_at, updated_at) VALUES
        (1, 'https://example.org/a', 'A', '2024-01-29T05:49:00Z', now()),
        (2, 'https://example.org/b', 'B', '2024-02-01T00:00:00Z', now());
      INSERT INTO event_sources (event_id, source_id) VALUES (1, 1), (2, 1), (3, 1), (4, 2);
      INSERT INTO event_links (cause_id, effect_id) VALUES (1, 2), (1, 3);`);
    const applied = await before.migrate();
    expect(applied.some((name) => name.endsWith("_time_windows"))).toBe(true);
    const windows = await pglite.query<{ id: number; earliest: Date; latest: Date; earliest_bound: string; latest_bound: string; causal_depth: number }>(
      "SELECT id, earliest, latest, earliest_bound, latest_bound, causal_depth FROM events ORDER BY id",
    );
    const row = (id: number) => windows.rows.find((r) => r.id === id)!;
    expect(row(2)).toMatchObject({ earliest_bound: "CAUSE", latest_bound: "PUBLICATION", causal_depth: 1 });
    expect(row(2).earliest.toISOString()).toBe("2024-01-17T00:00:00.000Z");
    expect(row(2).latest.toISOString()).toBe("2024-01-29T05:49:00.000Z");
    // The contradictions keep their reported dates.
    expect(row(3)).toMatchObject({ earliest_bound: "DATE", latest_bound: "DATE" });
    expect(row(3).earliest.toISOString()).toBe("2024-01-10T00:00:00.000Z");
    expect(row(4).latest.toISOString()).toBe("2024-03-01T23:59:59.999Z");
    const reports = await pglite.query<{ kind: string; event_id: number }>("SELECT kind, event_id FROM data_reports WHERE migration LIKE '%_time_windows' ORDER BY id");
    expect(reports.rows).toEqual([
      { kind: "dated_after_source", event_id: 4 },
      { kind: "effect_before_cause", event_id: 3 },
    ]);
    expect((await pglite.query<{ count: number }>("SELECT count(*)::int AS count FROM events")).rows[0].count).toBe(4);
  });
});
