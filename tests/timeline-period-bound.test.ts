import { startTestApp, type TestApp } from "./support/test-app";
import { idsOf, ingestScenario, timelinePage, type Scenario } from "./support/timeline";

// A page with `from` is read in two parts: events starting at or after `from`, and those that
// began before it and span it, which can only start at the start of from's year, month or day.
// Counts and figures add `occurred_at > from - 366 days`. The database holds every row to what
// both rely on (period length and start), so these check the edges of both. The article is
// published after every event, so each window is its date's whole period.

let app: TestApp;
let scenario: Scenario;

beforeAll(async () => {
  app = await startTestApp();
  scenario = await ingestScenario(app, [
    { key: "leap-year", date: "2024" },
    { key: "plain-year", date: "2023" },
    { key: "june", date: "2024-06" },
    { key: "may", date: "2024-05" },
    { key: "jun14", date: "2024-06-14" },
    { key: "jun15", date: "2024-06-15" },
    { key: "jun15-morning", date: "2024-06-15T10:00:00Z" },
    { key: "jun15-noon", date: "2024-06-15T12:00:00Z" },
    { key: "jun16", date: "2024-06-16" },
    { key: "december", date: "2024-12" },
    { key: "next-year", date: "2025-01-01" },
  ], { publishedAt: "2026-01-01T00:00:00Z" });
});
afterAll(() => app.close());

const inPlace = (filter: Record<string, unknown>) => ({ ...filter, locations: [scenario.place] });

async function matching(filter: Record<string, unknown>, order: "ASC" | "DESC" = "ASC"): Promise<string[]> {
  const page = await timelinePage(app, { filter: inPlace(filter), order, first: 100 });
  expect(page.totalCount).toBe(page.edges.length);
  return idsOf(page);
}

/** Walks the whole filter one event a page, forward with `after` or backward with `before`. */
async function walk(filter: Record<string, unknown>, backward: boolean): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await timelinePage(app, backward ? { filter: inPlace(filter), last: 1, before: cursor } : { filter: inPlace(filter), first: 1, after: cursor });
    if (!page.edges.length) break;
    ids.push(page.edges[0].node.id);
    cursor = page.edges[0].cursor;
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) break;
  }
  return backward ? ids.reverse() : ids;
}

describe("from finds the events that began before it and span it", () => {
  const everything = ["leap-year", "plain-year", "june", "may", "jun14", "jun15", "jun15-morning", "jun15-noon", "jun16", "december", "next-year"];
  test.each([
    { from: "2024-12-31", keys: ["leap-year", "december", "next-year"] },
    { from: "2024-12-31T23:59:59.999Z", keys: ["leap-year", "december", "next-year"] },
    { from: "2023-12-31", keys: everything },
    { from: "2025", keys: ["next-year"] },
    { from: "2024", keys: everything.filter((key) => key !== "plain-year") },
    { from: "2024-06-15T11:00:00Z", keys: ["leap-year", "june", "jun15", "jun15-noon", "jun16", "december", "next-year"] },
    { from: "2024-06-15T12:00:00Z", keys: ["leap-year", "june", "jun15", "jun15-noon", "jun16", "december", "next-year"] },
    { from: "2024-06-15T12:00:00.001Z", keys: ["leap-year", "june", "jun15", "jun16", "december", "next-year"] },
    { from: "2024-06-16", keys: ["leap-year", "june", "jun16", "december", "next-year"] },
  ])("from $from", async ({ from, keys }) => {
    const expected = scenario.ids(keys);
    expect(await matching({ from })).toEqual(expected);
    expect(await matching({ from }, "DESC")).toEqual([...expected].reverse());
  });

  it("pages through them with cursors, forward and backward", async () => {
    const filter = { from: "2024-06-15T11:00:00Z", to: "2024-06-16" };
    const expected = scenario.ids(["leap-year", "june", "jun15", "jun15-noon", "jun16"]);
    expect(await walk(filter, false)).toEqual(expected);
    expect(await walk(filter, true)).toEqual(expected);
  });

  it("needs no look behind `from` at a year's start, where no window can straddle it", async () => {
    const { straddlingStarts } = await import("../src/events/event-criteria");
    const at = (text: string) => straddlingStarts(new Date(text)).map((start) => start.toISOString().slice(0, 10));
    expect(at("2024-01-01T00:00:00Z")).toEqual([]);
    expect(at("2024-03-01T00:00:00Z")).toEqual(["2024-01-01"]);
    expect(at("2024-03-05T00:00:00Z")).toEqual(["2024-01-01", "2024-03-01"]);
    expect(at("2024-03-05T10:00:00Z")).toEqual(["2024-01-01", "2024-03-01", "2024-03-05"]);
    expect(at("2024-01-05T00:00:00Z")).toEqual(["2024-01-01"]);
    // And the figures count at a year's start what the pages list.
    const figures = await app.query<{ timelineStats: { count: number } }>(
      `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count } }`,
      { filter: inPlace({ from: "2024" }) },
    );
    expect(figures.data!.timelineStats.count).toBe((await matching({ from: "2024" })).length);
  });

  it("counts the same events in the dashboard figures", async () => {
    const result = await app.query<{ timelineStats: { count: number } }>(
      `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count } }`,
      { filter: inPlace({ from: "2024-12-31" }) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.timelineStats.count).toBe(3);
  });
});

describe("at the start of the calendar, where from - 366 days is clamped to year 1", () => {
  // A page and the figures use different bounds (see the comment at the top); both must keep
  // an event that starts on the first instant a date can name.
  let early: Scenario;
  beforeAll(async () => {
    early = await ingestScenario(app, [
      { key: "year-one", date: "0001" },
      { key: "first-day", date: "0001-01-01" },
      { key: "second-year", date: "0002-03" },
    ]);
  });
  const inEarly = (filter: Record<string, unknown>) => ({ ...filter, locations: [early.place] });

  test.each([
    { from: "0001", keys: ["year-one", "first-day", "second-year"] },
    { from: "0001-01-01", keys: ["year-one", "first-day", "second-year"] },
    { from: "0001-01-02", keys: ["year-one", "second-year"] },
    { from: "0001-12-31T23:59:59.999Z", keys: ["year-one", "second-year"] },
    { from: "0002", keys: ["second-year"] },
  ])("from $from", async ({ from, keys }) => {
    const page = await timelinePage(app, { filter: inEarly({ from }), first: 100 });
    expect(idsOf(page)).toEqual(early.ids(keys));
    expect(page.totalCount).toBe(keys.length);
    const result = await app.query<{ timelineStats: { count: number; first: string | null } }>(
      `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count first } }`,
      { filter: inEarly({ from }) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.timelineStats.count).toBe(keys.length);
  });
});

describe("the database holds periods to their precision", () => {
  const insert = (occurredAt: string, endsAt: string, precision: string) =>
    app.db.prisma.$executeRawUnsafe(
      `INSERT INTO events (title, occurred_at, ends_at, precision, category, updated_at)
       VALUES ('raw', $1::timestamptz, $2::timestamptz, $3::"DatePrecision", 'OTHER', now())`,
      occurredAt,
      endsAt,
      precision,
    );

  it("refuses a period longer than a leap year", async () => {
    await expect(insert("2020-01-01T00:00:00Z", "2021-01-02T00:00:00Z", "YEAR")).rejects.toThrow(/events_period_length_check|check constraint/i);
  });

  it("refuses a YEAR, MONTH or DAY period that does not start on its first instant (UTC)", async () => {
    await expect(insert("2020-03-01T00:00:00Z", "2021-03-01T00:00:00Z", "YEAR")).rejects.toThrow(/events_period_start_check|check constraint/i);
    await expect(insert("2020-03-02T00:00:00Z", "2020-04-02T00:00:00Z", "MONTH")).rejects.toThrow(/events_period_start_check|check constraint/i);
    await expect(insert("2020-03-02T05:00:00Z", "2020-03-03T05:00:00Z", "DAY")).rejects.toThrow(/events_period_start_check|check constraint/i);
  });

  it("accepts a leap year, and a TIME anywhere", async () => {
    expect(await insert("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", "YEAR")).toBe(1);
    expect(await insert("2020-03-02T05:00:00.123Z", "2020-03-02T05:00:00.124Z", "TIME")).toBe(1);
  });
});
