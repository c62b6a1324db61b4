import { defaultDateRules } from "../src/events/event-dates";
import { GraphQLError } from "graphql";
import { parsePartialDate } from "../src/common/partial-date";
import { BulkLoadService, type BulkEvent } from "../src/ingest/bulk-load";
import { uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// The bulk path (`npm run bench` loads its million events through it): rows it writes must be
// served by the API exactly as rows written through the API, and a bad batch must be refused
// whole, with the same BAD_USER_INPUT errors, leaving nothing behind.

let app: TestApp;
let bulk: BulkLoadService;
let tag: string;
let country: number;
let city: number;
let participants: number[];
let sources: number[];

beforeAll(async () => {
  app = await startTestApp();
  bulk = new BulkLoadService(app.db.prisma, defaultDateRules());
  tag = uniqueTag();
  [country] = await bulk.locations([{ slug: `land-${tag}`, name: `Land ${tag}`, kind: "COUNTRY", countryCode: "ZZ" }]);
  [city] = await bulk.locations([{ slug: `town-${tag}`, name: `Town ${tag}`, kind: "CITY", parentId: country, latitude: 1.5, longitude: 2.5 }]);
  participants = await bulk.participants([
    { slug: `army-${tag}`, name: `Army ${tag}`, kind: "ARMED_GROUP", countryId: country },
    { slug: `crowd-${tag}`, name: `Crowd ${tag}`, kind: "GROUP" },
  ]);
  sources = await bulk.sources([
    { url: `https://example.org/${tag}/one`, title: "One", publisher: "Wire", publishedAt: new Date("2019-06-02T00:00:00Z") },
    { url: `https://example.org/${tag}/two`, title: "Two", publishedAt: new Date("2019-06-01T00:00:00Z") },
  ]);
});
afterAll(() => app.close());

const eventCount = async () => app.db.prisma.event.count();

function event(title: string, date: string, extra: Partial<BulkEvent> = {}): BulkEvent {
  return { title, date: parsePartialDate(date), category: "ATTACK", locationId: city, ...extra };
}
const eventAt = event;

const PAGE = `query($place: String!) { timeline(first: 10, filter: { locations: [$place] }) { totalCount edges { node {
  title date precision occurredAt fatalities status location { slug parent { slug } }
  participants { role participant { slug country { slug } } } sources { url } causes { title } } } } }`;

describe("what the bulk path writes, the API serves", () => {
  it("events with their places, participants, sources and causes (by key in the batch, or by id)", async () => {
    const [stored] = await bulk.events([event(`Earlier ${tag}`, "2019")]);
    await bulk.events([
      event(`Clash ${tag}`, "2019-06", {
        key: "clash",
        fatalities: 3,
        participants: [
          { participantId: participants[1], role: "VICTIM" },
          { participantId: participants[0], role: "ACTOR" },
        ],
        sources: [{ sourceId: sources[0] }, { sourceId: sources[1], key: "k" }],
        causes: [stored],
      }),
      event(`Reply ${tag}`, "2019-06-03T10:00:00Z", { status: "PLANNED", causes: ["clash"] }),
    ]);
    const result = await app.query<{ timeline: { totalCount: number; edges: Array<{ node: any }> } }>(PAGE, { place: `land-${tag}` });
    expect(result.errors).toBeUndefined();
    expect(result.data!.timeline.totalCount).toBe(3);
    const [earlier, clash, reply] = result.data!.timeline.edges.map((edge) => edge.node);
    expect(earlier).toMatchObject({ title: `Earlier ${tag}`, date: "2019", precision: "YEAR", occurredAt: "2019-01-01T00:00:00.000Z", causes: [] });
    expect(clash).toMatchObject({
      date: "2019-06",
      fatalities: 3,
      status: "OCCURRED",
      location: { slug: `town-${tag}`, parent: { slug: `land-${tag}` } },
      participants: [
        { role: "ACTOR", participant: { slug: `army-${tag}`, country: { slug: `land-${tag}` } } },
        { role: "VICTIM", participant: { slug: `crowd-${tag}`, country: null } },
      ],
      // oldest article first
      sources: [{ url: `https://example.org/${tag}/two` }, { url: `https://example.org/${tag}/one` }],
      causes: [{ title: `Earlier ${tag}` }],
    });
    expect(reply).toMatchObject({ date: "2019-06-03T10:00:00.000Z", status: "PLANNED", causes: [{ title: `Clash ${tag}` }] });
  });

  it("keeps the rollups exact though it applies them at the end of each batch, with windows moved by later links", async () => {
    // A country of its own: the other tests count the events of theirs.
    const [elsewhere] = await bulk.locations([{ slug: `elsewhere-${tag}`, name: `Elsewhere ${tag}`, kind: "COUNTRY", countryCode: "ZY" }]);
    const event = (title: string, date: string, extra: Partial<BulkEvent> = {}) => ({ ...eventAt(title, date, extra), locationId: elsewhere });
    const [cause] = await bulk.events([event(`Rollup cause ${tag}`, "2019-05", { fatalities: 2, participants: [{ participantId: participants[0], role: "ACTOR" }] })]);
    const [effect, other] = await bulk.events([
      event(`Rollup effect ${tag}`, "2019", { injured: 4, participants: [{ participantId: participants[1], role: "VICTIM" }] }),
      event(`Rollup other ${tag}`, "2019-07-04", { fatalities: 1, participants: [{ participantId: participants[0], role: "ACTOR" }, { participantId: participants[0], role: "TARGET" }] }),
    ]);
    // The link narrows the effect's window (it cannot start before May), moving it between months.
    await bulk.links([{ causeId: cause, effectId: effect }]);
    expect(other).toBeGreaterThan(0);
    const read = async (tx: Pick<typeof app.db.prisma, "$queryRaw">) => ({
      events: await tx.$queryRaw`SELECT root_location_id, month, last_month, events, fatalities, injured FROM event_month_rollups
                                 WHERE events <> 0 OR fatalities <> 0 OR injured <> 0 ORDER BY 1, 2, 3`,
      participants: await tx.$queryRaw`SELECT root_location_id, month, participant_id, events, fatalities FROM participant_month_rollups
                                       WHERE events <> 0 OR fatalities <> 0 ORDER BY 1, 2, 3`,
    });
    const kept = await read(app.db.prisma);
    // What counting every event afresh gives, in a transaction rolled back.
    let rebuilt: Awaited<ReturnType<typeof read>> | undefined;
    await app.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT timeline_rollup_rebuild(ARRAY(SELECT id FROM locations WHERE parent_id IS NULL))`;
        rebuilt = await read(tx);
        throw new Error("roll back");
      })
      .catch((error: Error) => expect(error.message).toBe("roll back"));
    expect(kept).toEqual(rebuilt);
    const [pending] = await app.db.prisma.$queryRaw<Array<{ rows: number }>>`
      SELECT (SELECT count(*) FROM rollup_pending_events)::int + (SELECT count(*) FROM rollup_pending_participants)::int AS rows`;
    expect(pending!.rows).toBe(0);
  });

  it("derives each period's end from its precision, and narrows the window by the causal links it loads", async () => {
    const on = async (day: string) => {
      const result = await app.query<{ timeline: { edges: Array<{ node: { title: string } }> } }>(
        `query($place: String!, $day: PartialDate!) { timeline(first: 10, filter: { locations: [$place], from: $day, to: $day }) { edges { node { title } } } }`,
        { place: `land-${tag}`, day },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.timeline.edges.map((edge) => edge.node.title);
    };
    // Dated 2019, the earlier event spans March; the June clash that answered it ends its window in June.
    expect(await on("2019-03-01")).toEqual([`Earlier ${tag}`]);
    expect(await on("2019-12-31")).toEqual([]);
  });

  it("finds what it wrote by full text and by name", async () => {
    const result = await app.query<{ timeline: { totalCount: number }; participants: { edges: unknown[] } }>(
      `query($q: String!, $name: String!) { timeline(filter: { search: $q }) { totalCount } participants(search: $name) { edges { node { slug } } } }`,
      { q: `reply ${tag}`, name: `army ${tag}` },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.timeline.totalCount).toBe(1);
    expect(result.data!.participants.edges.length).toBeGreaterThan(0);
  });
});

describe("a bad batch is refused whole", () => {
  async function refused(rows: BulkEvent[], field: RegExp): Promise<void> {
    const before = await eventCount();
    const error = await bulk.events(rows).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    expect((error as GraphQLError).message).toMatch(field);
    expect(await eventCount()).toBe(before);
  }

  it("a blank title, named by its place in the batch", async () => {
    await refused([event(`Fine ${tag}`, "2020"), event("   ", "2020")], /events\[1\]\.title/);
  });

  it("a negative toll", async () => {
    await refused([event(`Toll ${tag}`, "2020", { fatalities: -1 })], /events\[0\]\.fatalities/);
  });

  it("a cause that names no event of the batch", async () => {
    await refused([event(`Orphan ${tag}`, "2020", { causes: ["nowhere"] })], /no event "nowhere"/);
  });

  it("a participant that does not exist, after the events were inserted (the transaction rolls back)", async () => {
    const before = await eventCount();
    await expect(bulk.events([event(`Ghost ${tag}`, "2020", { participants: [{ participantId: 2_000_000_000, role: "ACTOR" }] })])).rejects.toThrow();
    expect(await eventCount()).toBe(before);
  });

  it("ids reserved for another number of rows", async () => {
    const before = await eventCount();
    const ids = await bulk.reserveIds("events", 2);
    await expect(bulk.events([event(`Mismatch ${tag}`, "2020")], ids)).rejects.toThrow(/2 ids reserved for 1 rows/);
    expect(await eventCount()).toBe(before);
  });
});
