import { startTestApp, type TestApp } from "./support/test-app";
import { idsOf, ingestScenario, timelinePage, type Scenario } from "./support/timeline";

// `from` is answered with ends_at > from plus the implied occurred_at > from - 366 days, which
// lets the (occurred_at, id) index start near `from`. The edges: the longest period there is
// (a leap year, at YEAR precision) must still be found from its very last day and instant.

let app: TestApp;
let scenario: Scenario;

beforeAll(async () => {
  app = await startTestApp();
  scenario = await ingestScenario(app, [
    { key: "leap-year", date: "2024" },
    { key: "plain-year", date: "2023" },
    { key: "december", date: "2024-12" },
    { key: "next-year", date: "2025-01-01" },
  ]);
});
afterAll(() => app.close());

async function matching(filter: Record<string, unknown>, order: "ASC" | "DESC" = "ASC"): Promise<string[]> {
  const page = await timelinePage(app, { filter: { ...filter, locations: [scenario.place] }, order, first: 100 });
  expect(page.totalCount).toBe(page.edges.length);
  return idsOf(page);
}

describe("from finds events whose period began up to a leap year earlier", () => {
  test.each([
    { from: "2024-12-31", keys: ["leap-year", "december", "next-year"] },
    { from: "2024-12-31T23:59:59.999Z", keys: ["leap-year", "december", "next-year"] },
    { from: "2023-12-31", keys: ["leap-year", "plain-year", "december", "next-year"] },
    { from: "2025", keys: ["next-year"] },
  ])("from $from", async ({ from, keys }) => {
    expect(await matching({ from })).toEqual(scenario.ids(keys));
    expect(await matching({ from }, "DESC")).toEqual(scenario.ids(keys).reverse());
  });

  it("counts the same events in the dashboard figures", async () => {
    const result = await app.query<{ timelineStats: { count: number } }>(
      `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count } }`,
      { filter: { from: "2024-12-31", locations: [scenario.place] } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.timelineStats.count).toBe(3);
  });
});

describe("the database refuses a period longer than a leap year", () => {
  it("rejects an event whose ends_at is more than 366 days after occurred_at", async () => {
    await expect(
      app.db.prisma.$executeRaw`
        INSERT INTO events (title, occurred_at, ends_at, precision, category, updated_at)
        VALUES ('too long', '2020-01-01T00:00:00Z', '2021-01-02T00:00:00Z', 'YEAR', 'OTHER', now())`,
    ).rejects.toThrow(/events_period_length_check|check constraint/i);
  });

  it("accepts exactly a leap year", async () => {
    const inserted = await app.db.prisma.$executeRaw`
      INSERT INTO events (title, occurred_at, ends_at, precision, category, updated_at)
      VALUES ('a leap year', '2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z', 'YEAR', 'OTHER', now())`;
    expect(inserted).toBe(1);
  });
});
