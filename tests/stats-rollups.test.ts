import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// timelineStats reads its count, sums, monthly and yearly buckets (event_month_rollups) and top
// participants (participant_month_rollups), both kept by triggers, when they answer a filter exactly (one root location such as a country, `from` on a UTC year, `to` on a
// UTC month, nothing else). After every kind of write (create, update of date, place, toll and
// participants, delete, ingest and re-ingest, a place moved to another country) the rollups must
// give what counting the events gives: the same filter with both statuses listed, which means
// the same but sends the query to the events.

let app: TestApp;
let tag: string;
const slug = (name: string) => `${name}-${tag}`;
/** The SQL of every statement, to see which path a figure took. */
const sent: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  app.db.prisma.$on("query", (event) => sent.push(event.query));
  await ingestArticle(app, {
    locations: [
      { slug: slug("north"), name: `North ${tag}`, kind: "COUNTRY" },
      { slug: slug("south"), name: `South ${tag}`, kind: "COUNTRY" },
      { slug: slug("hills"), name: `Hills ${tag}`, kind: "REGION", parent: slug("north") },
      { slug: slug("town"), name: `Town ${tag}`, kind: "CITY", parent: slug("hills") },
    ],
    participants: ["army", "rebels", "police", "crowd"].map((name) => ({ slug: slug(name), name: `${name} ${tag}`, kind: "GROUP" })),
    events: [],
  });
});
afterAll(() => app.close());

const FIGURES = `query($filter: TimelineFilter) { timelineStats(filter: $filter) {
  count fatalities injured
  months: buckets(interval: MONTH) { start count fatalities injured }
  years: buckets(interval: YEAR) { start count fatalities injured }
  topParticipants(limit: 100) { participant { slug } count fatalities } } }`;

type Figures = {
  count: number;
  fatalities: number;
  injured: number;
  months: unknown[];
  years: unknown[];
  topParticipants: Array<{ participant: { slug: string }; count: number; fatalities: number }>;
};

async function figures(filter: Record<string, unknown>) {
  sent.length = 0;
  const result = await app.query<{ timelineStats: Figures }>(FIGURES, { filter });
  expect(result.errors).toBeUndefined();
  const from = (table: string) => sent.filter((sql) => sql.includes(table)).length;
  // participants from one rollup; count and sums, months and years from the other
  const fromRollups = from("participant_month_rollups") === 1 && from("event_month_rollups") === 3;
  const fromEvents = from("participant_month_rollups") === 0 && from("event_month_rollups") === 0;
  expect(fromRollups || fromEvents).toBe(true);
  return { ...result.data!.timelineStats, fromRollups };
}

const RANGES = [{}, { from: "2019" }, { from: "2020", to: "2020" }, { to: "2020-06" }, { from: "2019", to: "2021-03" }];

/** For both countries and every range: the rollups' answer equals the events'. */
async function expectRollupsMatchEvents(): Promise<void> {
  for (const country of [slug("north"), slug("south")]) {
    for (const range of RANGES) {
      const filter = { locations: [country], ...range };
      const viaRollups = await figures(filter);
      const viaEvents = await figures({ ...filter, statuses: ["OCCURRED", "PLANNED"] });
      expect(viaRollups.fromRollups).toBe(true);
      expect(viaEvents.fromRollups).toBe(false);
      const { fromRollups: _r, ...rollupFigures } = viaRollups;
      const { fromRollups: _e, ...eventFigures } = viaEvents;
      expect({ filter, ...rollupFigures }).toEqual({ filter, ...eventFigures });
      // Every event counted at most once per participant, whatever its roles.
      for (const entry of viaRollups.topParticipants) expect(entry.count).toBeLessThanOrEqual(viaRollups.count);
    }
  }
}

async function write(query: string, variables: Record<string, unknown>) {
  const result = await app.write(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id } }`;
const role = (name: string, as: string) => ({ participant: slug(name), role: as });

describe("the rollups follow every write", () => {
  const ids: Record<string, string> = {};

  it("after creates: several roles for one participant count once; unknown tolls add nothing", async () => {
    const events = {
      clash: { date: "2020-03-04", location: slug("town"), fatalities: 4, participants: [role("army", "ACTOR"), role("army", "TARGET"), role("rebels", "TARGET")] },
      raid: { date: "2020-03", location: slug("hills"), participants: [role("police", "ACTOR"), role("crowd", "VICTIM")] },
      year: { date: "2019", location: slug("north"), fatalities: 10, participants: [role("army", "ACTOR")] },
      southern: { date: "2020-12-31T23:59:59.999Z", location: slug("south"), fatalities: 1, injured: 5, participants: [role("rebels", "ACTOR"), role("crowd", "VICTIM")] },
      nowhere: { date: "2020-05-05", participants: [role("army", "ACTOR")] },
    };
    for (const [key, input] of Object.entries(events)) {
      const data = await write(CREATE, { input: { title: `${key} ${tag}`, category: "ATTACK", ...input } });
      ids[key] = data.createEvent.id;
    }
    await expectRollupsMatchEvents();
    const north = await figures({ locations: [slug("north")], from: "2020", to: "2020" });
    expect(north.topParticipants.find((entry) => entry.participant.slug === slug("army"))).toEqual({ participant: { slug: slug("army") }, count: 1, fatalities: 4 });
  });

  it("after updates of date, place, toll and participants", async () => {
    await write(UPDATE, { id: ids.clash, input: { date: "2021-01-15" } });
    await expectRollupsMatchEvents();
    await write(UPDATE, { id: ids.raid, input: { location: slug("south"), fatalities: 7, injured: 3 } });
    await expectRollupsMatchEvents();
    await write(UPDATE, { id: ids.year, input: { fatalities: null, participants: [role("police", "ACTOR"), role("police", "MEDIATOR"), role("army", "TARGET")] } });
    await expectRollupsMatchEvents();
    await write(UPDATE, { id: ids.nowhere, input: { location: slug("town") } });
    await expectRollupsMatchEvents();
    await write(UPDATE, { id: ids.southern, input: { location: null } });
    await expectRollupsMatchEvents();
  });

  it("after a delete", async () => {
    await write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id: ids.clash });
    await expectRollupsMatchEvents();
  });

  it("after an ingest, and a re-ingest that changes participants and places", async () => {
    const article = (participants: unknown[], location: string) => ({
      url: `https://example.org/rollups-${tag}`,
      events: [
        { key: "a", title: `Ingested ${tag}`, date: "2020-07-01", category: "PROTEST", location, fatalities: 2, participants },
        { key: "b", title: `Ingested too ${tag}`, date: "2020-07", category: "PROTEST", location: slug("hills"), participants: [role("crowd", "PARTICIPANT")] },
      ],
    });
    await ingestArticle(app, article([role("crowd", "PARTICIPANT"), role("police", "TARGET")], slug("town")));
    await expectRollupsMatchEvents();
    await ingestArticle(app, article([role("rebels", "ACTOR")], slug("south")));
    await expectRollupsMatchEvents();
  });

  it("after a region moves to the other country, and back", async () => {
    await write(`mutation($input: LocationInput!) { upsertLocation(input: $input) { slug } }`, {
      input: { slug: slug("hills"), name: `Hills ${tag}`, kind: "REGION", parent: slug("south") },
    });
    await expectRollupsMatchEvents();
    const south = await figures({ locations: [slug("south")] });
    expect(south.topParticipants.some((entry) => entry.participant.slug === slug("crowd"))).toBe(true);
    await write(`mutation($input: LocationInput!) { upsertLocation(input: $input) { slug } }`, {
      input: { slug: slug("hills"), name: `Hills ${tag}`, kind: "REGION", parent: slug("north") },
    });
    await expectRollupsMatchEvents();
  });
});

describe("the rollups answer only what they can answer exactly", () => {
  it.each([
    ["a region, not a root", { locations: ["REGION"] }],
    ["two places", { locations: ["NORTH", "SOUTH"] }],
    ["from within a year", { locations: ["NORTH"], from: "2020-03" }],
    ["to within a month", { locations: ["NORTH"], to: "2020-03-15" }],
    ["a category", { locations: ["NORTH"], categories: ["ATTACK"] }],
    ["a participant", { locations: ["NORTH"], participants: ["ARMY"] }],
    ["a toll", { locations: ["NORTH"], minFatalities: 0 }],
    ["a search", { locations: ["NORTH"], search: "clash" }],
    ["no place", { from: "2020" }],
  ])("not with %s", async (_name, template) => {
    const names: Record<string, string> = { REGION: slug("hills"), NORTH: slug("north"), SOUTH: slug("south"), ARMY: slug("army") };
    const filter = JSON.parse(JSON.stringify(template).replace(/"(REGION|NORTH|SOUTH|ARMY)"/g, (_m, name: string) => JSON.stringify(names[name])));
    expect((await figures(filter)).fromRollups).toBe(false);
  });
});

it("counts buckets in another time zone, or by week, from the events", async () => {
  sent.length = 0;
  const result = await app.query(
    `query($filter: TimelineFilter) { timelineStats(filter: $filter) { a: buckets(interval: MONTH, timeZone: "Asia/Karachi") { count } b: buckets(interval: WEEK) { count } } }`,
    { filter: { locations: [slug("north")], from: "2020" } },
  );
  expect(result.errors).toBeUndefined();
  expect(sent.some((sql) => sql.includes("event_month_rollups"))).toBe(false);
});

it("reads the count with the dates from the events when first or last is asked for: one statement, not two", async () => {
  sent.length = 0;
  const result = await app.query<{ timelineStats: { count: number; first: string } }>(
    `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count fatalities first } }`,
    { filter: { locations: [slug("north")], from: "2019" } },
  );
  expect(result.errors).toBeUndefined();
  // the place's subtree, then one statement for the count, sums and dates
  expect(sent.filter((sql) => !sql.includes("WITH RECURSIVE subtree"))).toHaveLength(1);
  const withoutDates = await figures({ locations: [slug("north")], from: "2019" });
  expect(withoutDates.fromRollups).toBe(true);
  expect(result.data!.timelineStats.count).toBe(withoutDates.count);
});
