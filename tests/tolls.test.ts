import { fingerprint } from "./support/fingerprint";
import { ingestArticle, uniqueTag } from "./support/factories";
import { databaseBefore, type DatabaseBefore } from "./support/migration-db";
import { startTestApp, type TestApp } from "./support/test-app";

// Tolls as reported (contract: Toll, TollQualifier, TollInput): which ends each qualifier sets,
// best as the conservative figure, 0 <= low <= best <= high, fatalities beside deaths, and the
// figures over them. Every refusal is BAD_USER_INPUT and leaves the data as it was.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const TOLL = "low best high qualifier text";
const FIELDS = `id fatalities injured deaths { ${TOLL} } injuries { ${TOLL} }`;

interface Served {
  id: string;
  fatalities: number | null;
  injured: number | null;
  deaths: Record<string, unknown> | null;
  injuries: Record<string, unknown> | null;
}

async function create(fields: Record<string, unknown>) {
  return app.write<{ createEvent: Served }>(`mutation($input: EventInput!) { createEvent(input: $input) { ${FIELDS} } }`, {
    input: { title: `Toll ${uniqueTag()}`, date: "2024-01-17", category: "ATTACK", ...fields },
  });
}

async function created(fields: Record<string, unknown>): Promise<Served> {
  const result = await create(fields);
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent;
}

async function refused(fields: Record<string, unknown>, fragment: string) {
  const before = await fingerprint(app);
  const result = await create(fields);
  expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  expect(result.errors![0].message).toContain(fragment);
  expect(await fingerprint(app)).toEqual(before);
}

describe("deaths and injuries as reported", () => {
  it.each([
    // qualifier, given, stored
    ["EXACT", { best: 2 }, { low: 2, best: 2, high: 2 }],
    ["EXACT", { low: 2, best: 2, high: 2 }, { low: 2, best: 2, high: 2 }],
    ["AT_LEAST", { low: 9 }, { low: 9, best: 9, high: null }],
    ["AT_LEAST", { low: 9, best: 12 }, { low: 9, best: 12, high: null }],
    ["AT_MOST", { high: 30 }, { low: null, best: 30, high: 30 }],
    ["AT_MOST", { low: 5, high: 30 }, { low: 5, best: 5, high: 30 }],
    ["ABOUT", { best: 50 }, { low: null, best: 50, high: null }],
    ["ABOUT", { low: 40, best: 50, high: 60 }, { low: 40, best: 50, high: 60 }],
    ["RANGE", { low: 8, high: 12 }, { low: 8, best: 8, high: 12 }],
    ["RANGE", { low: 8, best: 10, high: 12 }, { low: 8, best: 10, high: 12 }],
    ["RANGE", { low: 0, high: 0 }, { low: 0, best: 0, high: 0 }],
  ])("%s %j is stored as %j, fatalities its best", async (qualifier, given, stored) => {
    const event = await created({ deaths: { ...given, qualifier, text: "in the source's words" } });
    expect(event.deaths).toEqual({ ...stored, qualifier, text: "in the source's words" });
    expect(event.fatalities).toBe(stored.best);
    const injured = await created({ injuries: { ...given, qualifier } });
    expect(injured.injuries).toEqual({ ...stored, qualifier, text: null });
    expect(injured.injured).toBe(stored.best);
  });

  it("reads a plain figure as EXACT, and no figure as no toll", async () => {
    expect((await created({ fatalities: 9, injured: 0 })).deaths).toEqual({ low: 9, best: 9, high: 9, qualifier: "EXACT", text: null });
    const none = await created({});
    expect([none.deaths, none.injuries, none.fatalities]).toEqual([null, null, null]);
    // The qualifier defaults to EXACT.
    expect((await created({ deaths: { best: 3 } })).deaths).toMatchObject({ qualifier: "EXACT", low: 3, high: 3 });
  });

  it("takes fatalities beside deaths only when they agree", async () => {
    expect((await created({ fatalities: 9, deaths: { low: 9, qualifier: "AT_LEAST" } })).deaths).toMatchObject({ best: 9 });
    expect((await created({ fatalities: null, deaths: { low: 4, qualifier: "AT_LEAST" } })).fatalities).toBe(4);
    await refused({ fatalities: 10, deaths: { low: 9, qualifier: "AT_LEAST" } }, "disagree");
    await refused({ injured: 1, injuries: { best: 3 } }, "disagree");
  });

  it.each([
    [{ qualifier: "EXACT", low: 2, high: 3 }, "one figure"],
    [{ qualifier: "AT_LEAST", best: 9 }, "needs low"],
    [{ qualifier: "AT_LEAST", low: 9, high: 12 }, "RANGE"],
    [{ qualifier: "AT_MOST", low: 3 }, "needs high"],
    [{ qualifier: "ABOUT", low: 3, high: 9 }, "needs best"],
    [{ qualifier: "RANGE", low: 8 }, "needs low and high"],
    [{ qualifier: "RANGE", low: 12, high: 8 }, "must not be above"],
    [{ qualifier: "ABOUT", low: 51, best: 50 }, "low (51) must not be above best (50)"],
    [{ qualifier: "ABOUT", best: 50, high: 49 }, "best (50) must not be above high (49)"],
    [{ qualifier: "EXACT" }, "give the figure"],
    [{ qualifier: "EXACT", best: -1 }, "deaths.best"],
    [{ qualifier: "EXACT", best: 10_000_001 }, "deaths.best"],
    [{ qualifier: "EXACT", best: 1, text: "x".repeat(201) }, "deaths.text"],
  ])("refuses %j", async (deaths, fragment) => {
    await refused({ deaths }, fragment);
  });

  it("refuses a qualifier that is not one, and a figure that is not a whole number", async () => {
    for (const deaths of [{ best: 1, qualifier: "ROUGHLY" }, { best: 1.5 }, { best: "two" }]) {
      const result = await create({ deaths });
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
  });
});

describe("updates", () => {
  const update = (id: string, input: Record<string, unknown>) =>
    app.write<{ updateEvent: Served }>(`mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { ${FIELDS} } }`, { id, input });

  it("replace the whole toll with a figure or a toll, clear it with null, and leave it when absent", async () => {
    const { id } = await created({ deaths: { low: 9, qualifier: "AT_LEAST", text: "at least nine" }, injured: 3 });
    expect((await update(id, { title: "Renamed" })).data!.updateEvent.deaths).toMatchObject({ qualifier: "AT_LEAST", low: 9, text: "at least nine" });
    expect((await update(id, { fatalities: 11 })).data!.updateEvent.deaths).toEqual({ low: 11, best: 11, high: 11, qualifier: "EXACT", text: null });
    expect((await update(id, { deaths: { low: 8, high: 12, qualifier: "RANGE" } })).data!.updateEvent).toMatchObject({ fatalities: 8, deaths: { low: 8, high: 12 } });
    const cleared = (await update(id, { deaths: null })).data!.updateEvent;
    expect([cleared.fatalities, cleared.deaths, cleared.injured]).toEqual([null, null, 3]);
    const before = await fingerprint(app);
    const bad = await update(id, { fatalities: 2, deaths: { best: 3 } });
    expect(bad.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(await fingerprint(app)).toEqual(before);
  });
});

describe("ingestion and the figures", () => {
  it("ingests tolls idempotently, and sums best, low and high", async () => {
    const tag = uniqueTag();
    const place = `place-${tag}`;
    const article = {
      url: `https://example.org/tolls/${tag}`,
      locations: [{ slug: place, name: `Place ${tag}`, kind: "COUNTRY" }],
      events: [
        { key: "a", title: `A ${tag}`, date: "2024-01-17", category: "ATTACK", location: place, deaths: { low: 9, qualifier: "AT_LEAST", text: "at least nine" } },
        { key: "b", title: `B ${tag}`, date: "2024-01-18", category: "ATTACK", location: place, deaths: { low: 8, best: 10, high: 12, qualifier: "RANGE" } },
        { key: "c", title: `C ${tag}`, date: "2024-01-19", category: "ATTACK", location: place, deaths: { high: 30, qualifier: "AT_MOST" } },
        { key: "d", title: `D ${tag}`, date: "2024-01-20", category: "ATTACK", location: place, fatalities: 2 },
        { key: "e", title: `E ${tag}`, date: "2024-01-21", category: "ATTACK", location: place },
      ],
    };
    const first = await ingestArticle(app, article);
    expect(first.created).toBe(5);
    const again = await ingestArticle(app, article);
    expect([again.created, again.updated]).toEqual([0, 0]);

    const stats = await app.query<{ timelineStats: Record<string, number> }>(
      `query($place: String!) { timelineStats(filter: { locations: [$place] }) { count fatalities fatalitiesLow fatalitiesHigh } }`,
      { place },
    );
    // best: 9 + 10 + 30 + 2; low: 9 + 8 + (none: best 30) + 2; high: (none: best 9) + 12 + 30 + 2.
    expect(stats.data!.timelineStats).toEqual({ count: 5, fatalities: 51, fatalitiesLow: 49, fatalitiesHigh: 53 });
    // minFatalities filters on best.
    const over = await app.query<{ timeline: { totalCount: number } }>(
      `query($place: String!) { timeline(filter: { locations: [$place], minFatalities: 10 }) { totalCount } }`,
      { place },
    );
    expect(over.data!.timeline.totalCount).toBe(2);
  });

  it("exports the toll's ends and qualifier in the CSV, and its words in TimelineJS", async () => {
    const tag = uniqueTag();
    const place = `place-${tag}`;
    await ingestArticle(app, {
      locations: [{ slug: place, name: `Place ${tag}`, kind: "COUNTRY" }],
      events: [{ key: "a", title: `A ${tag}`, date: "2024-01-17", category: "ATTACK", location: place, deaths: { low: 9, qualifier: "AT_LEAST", text: "at least nine" } }],
    });
    const base = await app.listen();
    const csv = await (await fetch(`${base}/export/events.csv?locations=${place}`)).text();
    const [header, row] = csv.trim().split("\n");
    const cells = Object.fromEntries(header.split(",").map((name, i) => [name, row.split(",")[i]]));
    expect(cells).toMatchObject({ fatalities: "9", deaths_low: "9", deaths_high: "", deaths_qualifier: "AT_LEAST" });
    const json = (await (await fetch(`${base}/export/timeline.json?locations=${place}`)).json()) as { events: Array<{ text: { text: string } }> };
    expect(json.events[0].text.text).toContain("Killed: at least nine");
  });
});

describe("the database holds the rules too", () => {
  const insert = (columns: string, values: string) =>
    app.db.prisma.$executeRawUnsafe(
      `INSERT INTO events (title, occurred_at, ends_at, precision, category, updated_at, ${columns})
       VALUES ('raw', '2024-01-17', '2024-01-18', 'DAY', 'OTHER', now(), ${values})`,
    );

  it("refuses a toll that breaks them, and reads a plain figure as EXACT", async () => {
    await expect(insert("fatalities, deaths_low, deaths_qualifier", "5, 6, 'AT_LEAST'")).rejects.toThrow(/events_deaths_check|check constraint/i);
    await expect(insert("fatalities, deaths_low, deaths_high, deaths_qualifier", "5, 5, 4, 'RANGE'")).rejects.toThrow(/events_deaths_check|check constraint/i);
    await expect(insert("fatalities, deaths_high, deaths_qualifier", "5, 9, 'AT_LEAST'")).rejects.toThrow(/events_deaths_check|check constraint/i);
    await expect(insert("fatalities, deaths_qualifier", "-1, 'ABOUT'")).rejects.toThrow(/events_deaths_check|check constraint/i);
    expect(await insert("fatalities, injured", "4, 1")).toBe(1);
    const [row] = await app.db.prisma.$queryRawUnsafe<Array<{ deaths_qualifier: string; deaths_low: number; injuries_high: number }>>(
      "SELECT deaths_qualifier::text, deaths_low, injuries_high FROM events WHERE title = 'raw'",
    );
    expect(row).toEqual({ deaths_qualifier: "EXACT", deaths_low: 4, injuries_high: 1 });
  });
});

describe("the migration that brought tolls", () => {
  let before: DatabaseBefore;
  beforeAll(async () => {
    before = await databaseBefore("tolls");
  });
  afterAll(() => before.close());

  it("makes stored figures EXACT", async () => {
    const { pglite } = before;
    await pglite.exec(`
      INSERT INTO events (title, occurred_at, ends_at, precision, category, status, fatalities, injured, updated_at) VALUES
        ('Counted', '2024-01-17', '2024-01-18', 'DAY', 'ATTACK', 'OCCURRED', 9, NULL, now()),
        ('Uncounted', '2024-01-17', '2024-01-18', 'DAY', 'ATTACK', 'OCCURRED', NULL, 3, now())`);
    await before.migrate();
    const rows = await pglite.query<Record<string, unknown>>(
      `SELECT title, deaths_low, deaths_high, deaths_qualifier::text, injuries_low, injuries_qualifier::text FROM events ORDER BY title`,
    );
    expect(rows.rows).toEqual([
      { title: "Counted", deaths_low: 9, deaths_high: 9, deaths_qualifier: "EXACT", injuries_low: null, injuries_qualifier: null },
      { title: "Uncounted", deaths_low: null, deaths_high: null, deaths_qualifier: null, injuries_low: 3, injuries_qualifier: "EXACT" },
    ]);
  });
});
