import { defaultDateRules } from "../src/events/event-dates";
import { BulkLoadService } from "../src/ingest/bulk-load";
import { ingestArticle, uniqueTag } from "./support/factories";
import { fingerprint } from "./support/fingerprint";
import { databaseBefore, type DatabaseBefore } from "./support/migration-db";
import { startTestApp, type TestApp } from "./support/test-app";
import { expectBadUserInput } from "./support/timeline";

// An event cannot have happened after it was written (a day's slack for time zones), and what is
// announced may be dated at most PLANNED_HORIZON_YEARS ahead: one mistyped year (9024 for 2024)
// would otherwise stretch every dashboard over millennia.

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);
const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { id date status } }`;
const UPDATE = `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id date status } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ dates: { plannedHorizonYears: 10 } });
});
afterAll(() => app.close());

describe("an OCCURRED event", () => {
  it("may be dated up to a day ahead of the write, not further; a refusal writes nothing", async () => {
    const accepted = await app.write(CREATE, { input: { title: `Late tonight ${uniqueTag()}`, date: iso(Date.now() + 12 * 3_600_000), category: "OTHER" } });
    expect(accepted.errors).toBeUndefined();
    const before = await fingerprint(app);
    const refused = await app.write(CREATE, { input: { title: `Next week ${uniqueTag()}`, date: day(Date.now() + 7 * DAY), category: "OTHER" } });
    expectBadUserInput(refused, "input.date", "is in the future", "PLANNED");
    const typo = await app.write(CREATE, { input: { title: `Typo ${uniqueTag()}`, date: "9024-01-17", category: "AIRSTRIKE" } });
    expectBadUserInput(typo, '"9024-01-17" is in the future');
    expect(await fingerprint(app)).toEqual(before);
  });

  it("cannot be made one by an update that leaves a future date", async () => {
    const planned = await app.write(CREATE, { input: { title: `Summit ${uniqueTag()}`, date: day(Date.now() + 30 * DAY), category: "DIPLOMACY", status: "PLANNED" } });
    const id = planned.data!.createEvent.id;
    expectBadUserInput(await app.write(UPDATE, { id, input: { status: "OCCURRED" } }), "input.status", "is in the future");
    const past = await app.write(CREATE, { input: { title: `Past ${uniqueTag()}`, date: "2024-02-02", category: "OTHER" } });
    expectBadUserInput(await app.write(UPDATE, { id: past.data!.createEvent.id, input: { date: day(Date.now() + 3 * DAY) } }), "input.date");
    // Dated back, it may be reported as having happened.
    const held = await app.write(UPDATE, { id, input: { status: "OCCURRED", date: "2024-05-05" } });
    expect(held.data!.updateEvent).toMatchObject({ status: "OCCURRED", date: "2024-05-05" });
  });

  it("refuses a whole article, and a bulk load, that carries one", async () => {
    const before = await fingerprint(app);
    await expect(
      ingestArticle(app, { events: [{ key: "ok", title: "Fine", date: "2024-01-01", category: "OTHER" }, { key: "late", title: "Later", date: "3024", category: "OTHER" }] }),
    ).rejects.toThrow(/events\[1\] \("late"\)\.date: "3024" is in the future/);
    await expect(new BulkLoadService(app.db.prisma, defaultDateRules()).events([{ title: "Bulk", date: { precision: "YEAR", start: new Date("3024-01-01"), end: new Date("3025-01-01") }, category: "OTHER" }])).rejects.toThrow(
      /events\[0\]\.date: "3024" is in the future/,
    );
    expect(await fingerprint(app)).toEqual(before);
  });
});

describe("a PLANNED event", () => {
  it("may be dated up to the horizon (PLANNED_HORIZON_YEARS, 10 here) and no further", async () => {
    const year = new Date().getUTCFullYear();
    const soon = await app.write(CREATE, { input: { title: `Vote ${uniqueTag()}`, date: String(year + 5), category: "POLITICAL", status: "PLANNED" } });
    expect(soon.errors).toBeUndefined();
    expectBadUserInput(
      await app.write(CREATE, { input: { title: `Far ${uniqueTag()}`, date: String(year + 11), category: "POLITICAL", status: "PLANNED" } }),
      "more than 10 years ahead",
    );
  });
});

describe("the migration that brought the rule", () => {
  let before: DatabaseBefore;
  beforeAll(async () => {
    before = await databaseBefore("date_rules");
  });
  afterAll(() => before.close());

  it("keeps stored events that break it and reports each", async () => {
    const { pglite } = before;
    await pglite.exec(`
      INSERT INTO events (title, occurred_at, ends_at, precision, category, status, updated_at) VALUES
        ('Typo of a year', '9024-01-17', '9024-01-18', 'DAY', 'AIRSTRIKE', 'OCCURRED', now()),
        ('Far plan', '2500-01-01', '2501-01-01', 'YEAR', 'POLITICAL', 'PLANNED', now()),
        ('Ordinary', '2024-01-17', '2024-01-18', 'DAY', 'OTHER', 'OCCURRED', now())`);
    const applied = await before.migrate();
    expect(applied.some((name) => name.endsWith("_date_rules"))).toBe(true);
    const reports = await pglite.query<{ kind: string; title: string; detail: string }>(
      "SELECT r.kind, e.title, r.detail FROM data_reports r JOIN events e ON e.id = r.event_id ORDER BY r.id",
    );
    expect(reports.rows.map(({ kind, title }) => [kind, title])).toEqual([
      ["occurred_in_future", "Typo of a year"],
      ["planned_beyond_horizon", "Far plan"],
    ]);
    expect(reports.rows[0].detail).toMatch(/Typo of a year.*9024-01-17/);
    const kept = await pglite.query<{ count: number }>("SELECT count(*)::int AS count FROM events");
    expect(kept.rows[0].count).toBe(3);
  });
});
