import { ingestArticle, uniqueTag } from "./support/factories";
import { readSeed } from "./support/seed-file";
import { startTestApp, type TestApp } from "./support/test-app";
import { expectBadUserInput, ingestScenario } from "./support/timeline";

interface Bucket {
  start: string;
  count: number;
  fatalities: number;
  injured: number;
}

const DAY = 86_400_000;

let app: TestApp;
let tag: string;
/** The filter that sees only this file's dashboard scenario. */
let scope: { locations: string[] };

// A country with a region, city and site beneath it, a second region, a region outside any
// country and a second country; six events over them, some with unknown tolls.
beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  const place = (name: string) => `${name}-${tag}`;
  const person = (name: string) => ({ slug: place(name.toLowerCase()), name: `${name} ${tag}`, kind: "PERSON" });
  const role = (name: string, as: string) => ({ participant: place(name.toLowerCase()), role: as });
  await ingestArticle(app, {
    locations: [
      { slug: place("country"), name: `Country ${tag}`, kind: "COUNTRY" },
      { slug: place("north"), name: `North ${tag}`, kind: "REGION", parent: place("country") },
      { slug: place("city"), name: `City ${tag}`, kind: "CITY", parent: place("north") },
      { slug: place("site"), name: `Site ${tag}`, kind: "SITE", parent: place("city") },
      { slug: place("south"), name: `South ${tag}`, kind: "REGION", parent: place("country") },
      { slug: place("lone"), name: `Lone Region ${tag}`, kind: "REGION" },
      { slug: place("other"), name: `Other Country ${tag}`, kind: "COUNTRY" },
      { slug: place("other-city"), name: `Other City ${tag}`, kind: "CITY", parent: place("other") },
    ],
    // Listed against alphabetical order, so that ordering by name differs from ordering by id.
    participants: [person("Charlie"), person("Bravo"), person("Alpha"), person("Delta")],
    events: [
      {
        key: "e1", title: `Night attack ${tag}`, date: "2024-01-01T23:30:00Z", category: "ATTACK", fatalities: 3,
        location: place("site"), participants: [role("Alpha", "ACTOR"), role("Bravo", "VICTIM"), role("Delta", "VICTIM")],
      },
      {
        key: "e2", title: `City attack ${tag}`, date: "2024-01-03", category: "ATTACK", injured: 5, location: place("city"),
        participants: [role("Alpha", "ACTOR"), role("Alpha", "TARGET"), role("Charlie", "VICTIM")],
      },
      {
        key: "e3", title: `Blast ${tag}`, date: "2024-01-10", category: "EXPLOSION", fatalities: 7, injured: 2,
        location: place("south"), participants: [role("Bravo", "ACTOR"), role("Delta", "VICTIM")],
      },
      {
        key: "e4", title: `Talks ${tag}`, date: "2024-01-10", category: "DIPLOMACY", location: place("country"),
        participants: [role("Delta", "PARTICIPANT")],
      },
      {
        key: "e5", title: `Statement ${tag}`, date: "2024-02", category: "STATEMENT", location: place("lone"),
        participants: [role("Charlie", "ACTOR")],
      },
      {
        key: "e6", title: `Other attack ${tag}`, date: "2024-01-20", category: "ATTACK", fatalities: 1, injured: 0,
        location: place("other-city"),
      },
    ],
  });
  scope = { locations: [place("country"), place("lone"), place("other")] };
});
afterAll(() => app.close());

/** Runs timelineStats with `fields` over `filter`; fails the test on errors. */
async function stats(fields: string, filter: Record<string, unknown> = scope): Promise<Record<string, any>> {
  const result = await app.query(`query Stats($filter: TimelineFilter) { timelineStats(filter: $filter) { ${fields} } }`, {
    filter,
  });
  if (result.errors?.length || !result.data) throw new Error(`timelineStats failed: ${JSON.stringify(result.errors)}`);
  return result.data.timelineStats;
}

async function buckets(interval: string, filter: Record<string, unknown> = scope, timeZone?: string): Promise<Bucket[]> {
  const zone = timeZone ? `, timeZone: "${timeZone}"` : "";
  return (await stats(`buckets(interval: ${interval}${zone}) { start count fatalities injured }`, filter)).buckets;
}

const bucket = (start: string, count = 0, fatalities = 0, injured = 0): Bucket => ({ start, count, fatalities, injured });
const nonEmpty = (list: Bucket[]) => list.filter((b) => b.count > 0);
const total = (list: Bucket[]) => list.reduce((sum, b) => sum + b.count, 0);

/** Asserts each bucket starts `step` ms after the one before. */
function expectSteps(list: Bucket[], step: number): void {
  const gaps = list.slice(1).map((b, index) => Date.parse(b.start) - Date.parse(list[index].start));
  expect(gaps).toEqual(gaps.map(() => step));
}

describe("timelineStats totals", () => {
  it("count all matching events and sum the tolls that are known", async () => {
    expect(await stats("count fatalities injured first last")).toEqual({
      count: 6,
      fatalities: 11,
      injured: 7,
      first: "2024-01-01T23:30:00.000Z",
      last: "2024-02-01T00:00:00.000Z",
    });
  });

  it("are 0 when no matching event has a known toll", async () => {
    expect(await stats("count fatalities injured", { ...scope, categories: ["DIPLOMACY", "STATEMENT"] })).toEqual({
      count: 2,
      fatalities: 0,
      injured: 0,
    });
  });

  it("are zero and empty when nothing matches", async () => {
    const empty = await stats(
      `count fatalities injured first last buckets(interval: DAY) { start }
       byCategory { category } topParticipants { count } topLocations { count }`,
      { ...scope, categories: ["RIOT"] },
    );
    expect(empty).toEqual({
      count: 0, fatalities: 0, injured: 0, first: null, last: null,
      buckets: [], byCategory: [], topParticipants: [], topLocations: [],
    });
  });
});

describe("timelineStats.buckets", () => {
  it("are contiguous days with the empty ones zero-filled", async () => {
    const days = await buckets("DAY");
    expect(days).toHaveLength(32); // 1 January to 1 February
    expectSteps(days, DAY);
    expect(days[0].start).toBe("2024-01-01T00:00:00.000Z");
    expect(nonEmpty(days)).toEqual([
      bucket("2024-01-01T00:00:00.000Z", 1, 3, 0),
      bucket("2024-01-03T00:00:00.000Z", 1, 0, 5),
      bucket("2024-01-10T00:00:00.000Z", 2, 7, 2),
      bucket("2024-01-20T00:00:00.000Z", 1, 1, 0),
      bucket("2024-02-01T00:00:00.000Z", 1, 0, 0),
    ]);
    expect(days.filter((b) => b.count === 0).every((b) => b.fatalities === 0 && b.injured === 0)).toBe(true);
  });

  it("are ISO weeks from Monday, months and years", async () => {
    expect(await buckets("WEEK")).toEqual([
      bucket("2024-01-01T00:00:00.000Z", 2, 3, 5),
      bucket("2024-01-08T00:00:00.000Z", 2, 7, 2),
      bucket("2024-01-15T00:00:00.000Z", 1, 1, 0),
      bucket("2024-01-22T00:00:00.000Z"),
      bucket("2024-01-29T00:00:00.000Z", 1, 0, 0),
    ]);
    expect(await buckets("MONTH")).toEqual([
      bucket("2024-01-01T00:00:00.000Z", 5, 11, 7),
      bucket("2024-02-01T00:00:00.000Z", 1, 0, 0),
    ]);
    expect(await buckets("YEAR")).toEqual([bucket("2024-01-01T00:00:00.000Z", 6, 11, 7)]);
  });

  it("put a Sunday in the week of the Monday before it", async () => {
    const weekend = await ingestScenario(app, [
      { key: "sunday", date: "2024-01-14T23:59:59Z" },
      { key: "monday", date: "2024-01-15T00:00:00Z" },
      { key: "next-sunday", date: "2024-01-21" },
    ]);
    expect(await buckets("WEEK", { locations: [weekend.place] })).toEqual([
      bucket("2024-01-08T00:00:00.000Z", 1),
      bucket("2024-01-15T00:00:00.000Z", 2),
    ]);
  });

  it("cut days and weeks in the time zone asked for", async () => {
    // 23:30 UTC on 1 January is 04:30 on 2 January in Karachi (UTC+5).
    const utc = await buckets("DAY");
    const karachi = await buckets("DAY", scope, "Asia/Karachi");
    expect(utc[0]).toEqual(bucket("2024-01-01T00:00:00.000Z", 1, 3, 0));
    expect(karachi[0]).toEqual(bucket("2024-01-01T19:00:00.000Z", 1, 3, 0)); // 2 January, 00:00 in Karachi
    expect(karachi).toHaveLength(31);
    expectSteps(karachi, DAY);
    expect(total(karachi)).toBe(6);

    const weeks = await buckets("WEEK", scope, "Asia/Karachi");
    expect(weeks[0].start).toBe("2023-12-31T19:00:00.000Z"); // Monday 1 January, 00:00 in Karachi
    expectSteps(weeks, 7 * DAY);
  });

  it("start at local midnight across a daylight-saving change", async () => {
    // New York moves to summer time on 10 March 2024; the bounds are calendar dates, which keep
    // their days in every zone, so the span runs from 9 March (local) to 11 March (local).
    const days = await buckets("DAY", { ...scope, from: "2024-03-09", to: "2024-03-11" }, "America/New_York");
    expect(days).toEqual([bucket("2024-03-09T05:00:00.000Z"), bucket("2024-03-10T05:00:00.000Z"), bucket("2024-03-11T04:00:00.000Z")]);
  });

  it("stretch to the filter's bounds", async () => {
    const days = await buckets("DAY", { ...scope, from: "2023-12-30", to: "2024-01-04" });
    expect(days.map((b) => [b.start.slice(0, 10), b.count])).toEqual([
      ["2023-12-30", 0],
      ["2023-12-31", 0],
      ["2024-01-01", 1],
      ["2024-01-02", 0],
      ["2024-01-03", 1],
      ["2024-01-04", 0],
    ]);
    const months = await buckets("MONTH", { ...scope, from: "2023-11", to: "2024-03" });
    expect(months.map((b) => [b.start.slice(0, 7), b.count])).toEqual([
      ["2023-11", 0],
      ["2023-12", 0],
      ["2024-01", 5],
      ["2024-02", 1],
      ["2024-03", 0],
    ]);
  });

  it("cover from..to exactly, and add up with the events whose windows span several buckets", async () => {
    const figures = await stats("count imprecise(interval: DAY) buckets(interval: DAY) { start count uncertain }", { ...scope, from: "2024-02", to: "2024-02" });
    expect(figures.buckets[0].start).toBe("2024-02-01T00:00:00.000Z");
    expect(figures.buckets.at(-1).start).toBe("2024-02-29T00:00:00.000Z");
    expect(figures.count).toBeGreaterThan(0);
    expect(total(figures.buckets) + figures.imprecise).toBe(figures.count);
    // Each imprecise event is uncertain in at least two buckets.
    expect(figures.buckets.reduce((n: number, b: { uncertain: number }) => n + b.uncertain, 0)).toBeGreaterThanOrEqual(2 * figures.imprecise);
  });

  it("are the bound's bucket alone when nothing matches and one bound is given", async () => {
    const none = { ...scope, categories: ["RIOT"] };
    expect(await buckets("MONTH", { ...none, from: "2024-05-17" })).toEqual([bucket("2024-05-01T00:00:00.000Z")]);
    expect(await buckets("MONTH", { ...none, to: "2024-05-17" })).toEqual([bucket("2024-05-01T00:00:00.000Z")]);
  });

  it("are at most 5000", async () => {
    const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * DAY).toISOString().slice(0, 10);
    const none = { ...scope, categories: ["RIOT"], from: day(0) };
    const most = await stats("buckets(interval: DAY) { start }", { ...none, to: day(4999) });
    expect(most.buckets).toHaveLength(5000);
    expect(most.buckets[4999].start).toBe(`${day(4999)}T00:00:00.000Z`);

    const query = `query S($f: TimelineFilter) { timelineStats(filter: $f) { buckets(interval: DAY) { start } } }`;
    const tooMany = await app.query(query, { f: { ...none, to: day(5000) } });
    expectBadUserInput(tooMany, "5000");
    expect(tooMany.errors![0].extensions?.field).toBe("interval");

    const centuries = await app.query(
      `{ timelineStats(filter: { from: "1900", to: "2024" }) { buckets(interval: WEEK) { start } } }`,
    );
    expectBadUserInput(centuries, "5000");
  });

  it("refuse a time zone the database does not know", async () => {
    for (const zone of ["Mars/Olympus_Mons", "+05:00"]) {
      const result = await app.query(`{ timelineStats { buckets(interval: DAY, timeZone: "${zone}") { start } } }`);
      expectBadUserInput(result, zone, "time zone");
      expect(result.errors![0].extensions?.field).toBe("timeZone");
    }
  });
});

describe("timelineStats breakdowns", () => {
  it("count events by category, most first, ties by name", async () => {
    expect((await stats("byCategory { category count fatalities }")).byCategory).toEqual([
      { category: "ATTACK", count: 3, fatalities: 4 },
      // In the enum EXPLOSION comes before DIPLOMACY; by name it comes after.
      { category: "DIPLOMACY", count: 1, fatalities: 0 },
      { category: "EXPLOSION", count: 1, fatalities: 7 },
      { category: "STATEMENT", count: 1, fatalities: 0 },
    ]);
  });

  it("rank participants by events involved in, ties by name, each event once", async () => {
    const { topParticipants } = await stats("topParticipants { participant { name } count fatalities }");
    expect(topParticipants).toEqual([
      { participant: { name: `Delta ${tag}` }, count: 3, fatalities: 10 },
      // Alpha is both actor and target of one event: it counts once.
      { participant: { name: `Alpha ${tag}` }, count: 2, fatalities: 3 },
      { participant: { name: `Bravo ${tag}` }, count: 2, fatalities: 10 },
      { participant: { name: `Charlie ${tag}` }, count: 2, fatalities: 0 },
    ]);
    const { topParticipants: top2 } = await stats("topParticipants(limit: 2) { participant { name } }");
    expect(top2.map((row: any) => row.participant.name)).toEqual([`Delta ${tag}`, `Alpha ${tag}`]);
  });

  it("take a limit from 1 to 100", async () => {
    for (const field of ["topParticipants", "topLocations"]) {
      for (const limit of [0, 101, -1]) {
        const result = await app.query(`{ timelineStats { ${field}(limit: ${limit}) { count } } }`);
        expectBadUserInput(result, "limit", String(limit));
      }
      const result = await app.query(`{ timelineStats { ${field}(limit: 100) { count } } }`);
      expect(result.errors).toBeUndefined();
    }
  });

  it("roll locations up to countries by default", async () => {
    const { topLocations } = await stats("topLocations { location { name kind } count fatalities }");
    // The event in a region outside any country is left out.
    expect(topLocations).toEqual([
      { location: { name: `Country ${tag}`, kind: "COUNTRY" }, count: 4, fatalities: 10 },
      { location: { name: `Other Country ${tag}`, kind: "COUNTRY" }, count: 1, fatalities: 1 },
    ]);
    const { topLocations: top1 } = await stats("topLocations(limit: 1) { location { name } }");
    expect(top1).toEqual([{ location: { name: `Country ${tag}` } }]);
  });

  it("roll locations up to the kind asked for", async () => {
    const regions = (await stats("topLocations(kind: REGION) { location { name } count fatalities }")).topLocations;
    // The site and the city count for North; the events at country level and in the other
    // country's city have no region above them.
    expect(regions).toEqual([
      { location: { name: `North ${tag}` }, count: 2, fatalities: 3 },
      { location: { name: `Lone Region ${tag}` }, count: 1, fatalities: 0 },
      { location: { name: `South ${tag}` }, count: 1, fatalities: 7 },
    ]);
    const cities = (await stats("topLocations(kind: CITY) { location { name } count }")).topLocations;
    expect(cities).toEqual([
      { location: { name: `City ${tag}` }, count: 2 },
      { location: { name: `Other City ${tag}` }, count: 1 },
    ]);
  });

  it("count for a location what its events connection counts", async () => {
    const filter = { ...scope, from: "2024-01-02" };
    const { topLocations } = await stats("topLocations(kind: REGION) { location { slug } count }", filter);
    for (const { location, count } of topLocations) {
      const { data } = await app.query(
        `query L($f: TimelineFilter) { location(slug: "${location.slug}") { events(filter: $f) { totalCount } } }`,
        { f: filter },
      );
      expect(data!.location.events.totalCount).toBe(count);
    }
    expect(topLocations.length).toBeGreaterThan(1);
  });
});

describe("timelineStats on the seed", () => {
  interface SeedEvent {
    date: string;
    category: string;
    fatalities?: number;
    injured?: number;
    location?: string;
    participants?: Array<{ participant: string }>;
  }
  const seed: {
    events: SeedEvent[];
    participants: Array<{ slug: string; name: string }>;
    locations: Array<{ slug: string; name: string; kind: string; parent?: string }>;
  } = readSeed();
  // The seed's countries hold all its events, and none of this file's.
  const seedScope = { locations: seed.locations.filter((l) => !l.parent).map((l) => l.slug) };
  const sum = (values: Array<number | undefined>) => values.reduce<number>((acc, value) => acc + (value ?? 0), 0);
  const ranked = (counts: Map<string, SeedEvent[]>, nameOf: (key: string) => string) =>
    [...counts]
      .map(([key, events]) => ({ key, count: events.length, fatalities: sum(events.map((e) => e.fatalities)) }))
      .sort((a, b) => b.count - a.count || (nameOf(a.key) < nameOf(b.key) ? -1 : 1));
  function groupBy(keysOf: (event: SeedEvent) => string[]): Map<string, SeedEvent[]> {
    const groups = new Map<string, SeedEvent[]>();
    for (const event of seed.events) {
      for (const key of new Set(keysOf(event))) groups.set(key, [...(groups.get(key) ?? []), event]);
    }
    return groups;
  }

  it("has the article's totals", async () => {
    // Dated to the day, the first and the last events bound the windows: the month-dated ones
    // answered events of the 17th and 27th and were reported on the 29th.
    const days = seed.events.filter((event) => event.date.length === 10).map((event) => event.date).sort();
    expect(seed.events.every((event) => event.location)).toBe(true);
    expect(await stats("count fatalities injured first last", seedScope)).toEqual({
      count: seed.events.length,
      fatalities: sum(seed.events.map((event) => event.fatalities)),
      injured: sum(seed.events.map((event) => event.injured)),
      first: `${days[0]}T00:00:00.000Z`,
      last: `${days[days.length - 1]}T23:59:59.999Z`,
    });
  });

  it("has a day bucket for each day from the first event to the last; month-dated events are uncertain, not counted", async () => {
    const dayDated = seed.events.filter((event) => event.date.length === 10);
    const perDay = new Map<string, typeof dayDated>();
    for (const event of dayDated) perDay.set(event.date, [...(perDay.get(event.date) ?? []), event]);
    const figures = await stats("imprecise(interval: DAY) buckets(interval: DAY) { start count fatalities injured uncertain }", seedScope);
    const days = figures.buckets as Array<{ start: string; count: number; fatalities: number; injured: number; uncertain: number }>;
    expectSteps(days, DAY);
    expect(days[0].start.slice(0, 10)).toBe([...perDay.keys()].sort()[0]);
    for (const day of days) {
      const events = perDay.get(day.start.slice(0, 10)) ?? [];
      expect({ ...day, uncertain: undefined }).toEqual({
        ...bucket(day.start, events.length, sum(events.map((e) => e.fatalities)), sum(events.map((e) => e.injured))),
        uncertain: undefined,
      });
    }
    expect(total(days) + figures.imprecise).toBe(seed.events.length);
    expect(figures.imprecise).toBe(seed.events.length - dayDated.length);
  });

  it("ranks categories, participants and countries as the article does", async () => {
    const name = (slug: string) => seed.participants.find((p) => p.slug === slug)!.name;
    const place = (slug: string) => seed.locations.find((l) => l.slug === slug)!;
    const countryOf = (slug: string): string[] => {
      for (let at: string | undefined = slug; at; at = place(at).parent) {
        if (place(at).kind === "COUNTRY") return [at];
      }
      return [];
    };
    const result = await stats(
      `byCategory { category count fatalities }
       topParticipants(limit: 100) { participant { slug } count fatalities }
       topLocations { location { slug } count fatalities }`,
      seedScope,
    );
    const categories = ranked(groupBy((event) => [event.category]), (key) => key);
    const participants = ranked(groupBy((event) => (event.participants ?? []).map((p) => p.participant)), name);
    const countries = ranked(groupBy((event) => countryOf(event.location!)), (key) => place(key).name);
    expect(result.byCategory).toEqual(categories.map(({ key, ...figures }) => ({ category: key, ...figures })));
    expect(result.topParticipants).toEqual(participants.map(({ key, ...figures }) => ({ participant: { slug: key }, ...figures })));
    expect(result.topLocations).toEqual(countries.map(({ key, ...figures }) => ({ location: { slug: key }, ...figures })));
  });
});

describe("SQL statements per timelineStats request", () => {
  const EVERYTHING = `query All($filter: TimelineFilter, $zone: String) { timelineStats(filter: $filter) {
    count fatalities injured first last
    buckets(interval: WEEK, timeZone: $zone) { start count fatalities injured }
    byCategory { category count fatalities }
    topParticipants { participant { slug name } count fatalities }
    topLocations(kind: REGION) { location { slug name } count fatalities }
  } }`;

  async function statementsFor(variables: Record<string, unknown>): Promise<number> {
    const before = app.db.statements.count;
    const result = await app.query(EVERYTHING, variables);
    expect(result.errors).toBeUndefined();
    expect(result.data!.timelineStats.count).toBeGreaterThan(0);
    return app.db.statements.count - before;
  }

  it("are one per figure asked for, whatever the number of events", async () => {
    const many = await ingestScenario(
      app,
      Array.from({ length: 30 }, (_, index) => ({
        key: `m${index}`,
        date: `2023-${String((index % 12) + 1).padStart(2, "0")}-15`,
        fatalities: index,
      })),
    );
    // The location filter's subtree, then the totals (shared by five fields), buckets,
    // categories, participants and locations: one statement each.
    expect(await statementsFor({ filter: scope })).toBe(6);
    expect(await statementsFor({ filter: { locations: [many.place] } })).toBe(6);
    // A time zone is checked against the list the service carries: it costs no statement.
    expect(await statementsFor({ filter: scope, zone: "Asia/Karachi" })).toBe(6);
    expect(await statementsFor({ filter: scope, zone: "Europe/Paris" })).toBe(6);
  });

  it("are only those of the figures asked for", async () => {
    const before = app.db.statements.count;
    await stats("count fatalities injured first last");
    expect(app.db.statements.count - before).toBe(2);
  });
});
