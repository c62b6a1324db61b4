import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import {
  dateText,
  expectOutcome,
  expectWellFormedErrors,
  modelDate,
  mostly,
  RUNS,
  sent,
  utcMs,
  validDate,
  worst,
  type DateModel,
  type Outcome,
} from "./support/fuzz";
import { startTestApp, type TestApp } from "./support/test-app";

// Fuzzing of every read that takes a TimelineFilter, paging arguments or a name search, through
// the API with variables (so values go through the scalars and the resolvers): generated
// filters, good and bad mixed, sent to timeline, timelineStats, Participant.events,
// Location.events, participants and locations. A small model of the contract says which must be
// refused; whatever is sent, no error is ever INTERNAL_SERVER_ERROR, a failed field has no data,
// and a page is well formed. A last property holds valid filters to an oracle computed from
// every stored event. On failure fast-check prints the seed and the shrunk case to replay it.

const SEED = JSON.parse(readFileSync(path.join(__dirname, "../seed/ap-2024-01-29-iran-pakistan.json"), "utf8")) as {
  events: unknown[];
  participants: Array<{ slug: string }>;
  locations: Array<{ slug: string; parent?: string; latitude?: number; longitude?: number }>;
};
const PARTICIPANTS = SEED.participants.map((p) => p.slug);
const LOCATIONS = SEED.locations.map((l) => l.slug);

const CATEGORIES = ["AIRSTRIKE", "ARMED_CLASH", "ATTACK", "EXPLOSION", "PROTEST", "RIOT", "DIPLOMACY", "STATEMENT", "LEGAL", "POLITICAL", "HUMANITARIAN", "OTHER"];
const STATUSES = ["OCCURRED", "PLANNED"];
const ROLES = ["ACTOR", "TARGET", "VICTIM", "PARTICIPANT", "HOST", "MEDIATOR"];
const PARTICIPANT_KINDS = ["COUNTRY", "PERSON", "ARMED_GROUP", "ORGANIZATION", "GROUP"];
const LOCATION_KINDS = ["COUNTRY", "REGION", "CITY", "SITE"];
const INT32 = [-2_147_483_648, 2_147_483_647] as const;
const isInt32 = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= INT32[0] && (value as number) <= INT32[1];

// Events beyond the seed's nine, so that filters have dates of every precision, ties, the ends of
// the calendar, tolls from 0 to the maximum and every category to tell apart.
const PK = (role: string) => ({ participant: "pakistan", role });
const IR = (role: string) => ({ participant: "iran", role });
const EXTRA_EVENTS: Array<Record<string, unknown>> = [
  { title: "Founding skirmish", date: "0001", category: "RIOT", fatalities: 1 },
  { title: "Late antiquity raid", date: "0099-12-31", category: "RIOT", location: "iran", participants: [IR("ACTOR")] },
  { title: "Colonial treaty signed", date: "1920-05-05", category: "LEGAL", fatalities: 0, location: "baluchistan", participants: [PK("HOST")] },
  { title: "Mid-century border clash", summary: "Troops exchanged fire", date: "1950-06-01T12:00:00Z", category: "ARMED_CLASH", fatalities: 12, injured: 30, location: "sistan-and-baluchestan", participants: [PK("ACTOR"), IR("TARGET")] },
  { title: "Millennium eve protest", date: "1999-12-31T23:59:59.999Z", category: "PROTEST", location: "islamabad", participants: [{ participant: "relatives-of-slain-laborers", role: "PARTICIPANT" }] },
  { title: "Leap day relief convoy", date: "2000-02-29", category: "HUMANITARIAN", injured: 0, location: "pakistan" },
  { title: "A year of tensions", date: "2023", category: "POLITICAL", fatalities: 100, location: "pakistan", participants: [PK("ACTOR"), IR("ACTOR")] },
  { title: "December talks", date: "2023-12", category: "DIPLOMACY", status: "PLANNED", participants: [PK("PARTICIPANT"), IR("PARTICIPANT"), { participant: "jalil-abbas-jilani", role: "MEDIATOR" }] },
  { title: "New year strike", date: "2023-12-31T23:30:00-05:00", category: "AIRSTRIKE", fatalities: 3, injured: 1, location: "baluchistan", participants: [IR("ACTOR"), { participant: "jaish-al-adl", role: "TARGET" }] },
  { title: "A year of strikes", date: "2024", category: "AIRSTRIKE", fatalities: 10_000_000, participants: [PK("ACTOR")] },
  { title: "Another January report", date: "2024-01", category: "STATEMENT", location: "iran" },
  { title: "New year's day statement", date: "2024-01-01", category: "STATEMENT", fatalities: 0, participants: [IR("ACTOR")] },
  { title: "Morning explosion", date: "2024-01-17T10:00:00+05:00", category: "EXPLOSION", fatalities: 5, location: "baluchistan", participants: [{ participant: "jaish-al-adl", role: "ACTOR" }] },
  { title: "Second strike the same day", date: "2024-01-17", category: "AIRSTRIKE", fatalities: 2, injured: 2, location: "baluchistan", participants: [IR("ACTOR"), PK("VICTIM")] },
  { title: "Leap day statement", date: "2024-02-29", category: "STATEMENT", participants: [{ participant: "anwaar-ul-haq-kakar", role: "ACTOR" }] },
  { title: "Year-end riot", date: "2024-12-31T23:59:59.999Z", category: "RIOT", fatalities: 1, injured: 1, location: "islamabad-capital-territory" },
  { title: "Planned summit", date: "2025-01", category: "DIPLOMACY", status: "PLANNED", location: "pakistan-foreign-ministry", participants: [{ participant: "hossein-amirabdollahian", role: "PARTICIPANT" }] },
  { title: "Midyear clash", date: "2025-06-15T08:00:00Z", category: "ARMED_CLASH", fatalities: 0, injured: 7, location: "sistan-and-baluchestan", participants: [{ participant: "unknown-gunmen", role: "ACTOR" }] },
  { title: "Centenary", date: "2100-01-01", category: "OTHER", status: "PLANNED", location: "islamabad" },
];

/**
 * An event as the oracle sees it: its period, its time window (as served: how windows are drawn
 * is tests/time-windows.test.ts's business; here they decide what matches and the order), its
 * causal depth (from its causes, for ties), the fields filters look at, and its cursor.
 */
interface StoredEvent {
  id: number;
  start: number;
  end: number;
  earliest: number;
  latest: number;
  depth: number;
  causes: number[];
  category: string;
  status: string;
  fatalities: number | null;
  injured: number | null;
  location: string | null;
  participants: string[];
  /** "slug/ROLE" for each participant's role. */
  roles: string[];
  cursor: string;
}

let app: TestApp;
let events: StoredEvent[] = [];
const cursorOf = new Map<string, string>();
/** Each location's slug and those of everything within it. */
const subtree = new Map<string, Set<string>>();
/** Each location's coordinates, or its nearest ancestor's (none when no ancestor has any). */
const coordinates = new Map<string, { latitude: number; longitude: number }>();

/** Great-circle distance in km on earthdistance's sphere (radius 6,378.168 km). */
function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const [φ1, φ2] = [rad(a.latitude), rad(b.latitude)];
  const h = Math.sin((φ2 - φ1) / 2) ** 2 + Math.cos(φ1) * Math.cos(φ2) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6378.168 * Math.asin(Math.min(1, Math.sqrt(h)));
}
/** Cursors of name searches (rank, name, id), valid for participants and locations, not for event lists. */
let nameCursors: string[] = [];

const EVENT_FIELDS = `id occurredAt date timeWindow { earliest latest } causes { id } category status fatalities injured location { slug } participants { role participant { slug } }`;

beforeAll(async () => {
  app = await startTestApp();
  for (const input of EXTRA_EVENTS) {
    const result = await app.write(`mutation($input: EventInput!) { createEvent(input: $input) { id } }`, { input });
    expect(result.errors).toBeUndefined();
  }
  // The last day a date can name: no write may date an event so far ahead now, but data stored
  // before that rule can hold it, and every filter must still see it right.
  await app.db.prisma.$executeRaw`
    INSERT INTO events (title, occurred_at, ends_at, precision, category, status, updated_at)
    VALUES ('The last day', '9999-12-31T00:00:00Z', '10000-01-01T00:00:00Z', 'DAY', 'RIOT', 'PLANNED', now())`;
  // Every stored event, through the API, for the oracle.
  let after: string | null = null;
  do {
    const result: any = await app.query(
      `query($after: String) { timeline(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { ${EVENT_FIELDS} } } } }`,
      { after },
    );
    expect(result.errors).toBeUndefined();
    for (const { cursor, node } of result.data.timeline.edges) {
      const period = modelDate(node.date)!;
      expect(period.start).toBe(Date.parse(node.occurredAt));
      events.push({
        id: Number(node.id),
        start: period.start,
        end: period.end,
        earliest: Date.parse(node.timeWindow.earliest),
        latest: Date.parse(node.timeWindow.latest),
        depth: 0,
        causes: node.causes.map((cause: { id: string }) => Number(cause.id)),
        category: node.category,
        status: node.status,
        fatalities: node.fatalities,
        injured: node.injured,
        location: node.location?.slug ?? null,
        participants: node.participants.map((p: any) => p.participant.slug),
        roles: node.participants.map((p: any) => `${p.participant.slug}/${p.role}`),
        cursor,
      });
      cursorOf.set(node.id, cursor);
    }
    after = result.data.timeline.pageInfo.hasNextPage ? result.data.timeline.pageInfo.endCursor : null;
  } while (after);
  expect(events.length).toBe(SEED.events.length + EXTRA_EVENTS.length + 1);
  // 0 without causes, else one more than the deepest cause.
  const byId = new Map(events.map((e) => [e.id, e]));
  const depthOf = (e: StoredEvent): number => (e.causes.length ? 1 + Math.max(...e.causes.map((id) => depthOf(byId.get(id)!))) : 0);
  for (const e of events) e.depth = depthOf(e);
  expect(events.some((e) => e.depth > 0)).toBe(true);

  const parentOf = new Map(SEED.locations.map((l) => [l.slug, l.parent ?? null]));
  // Each place's coordinates, or its nearest ancestor's.
  const own = new Map(SEED.locations.filter((l) => l.latitude != null && l.longitude != null).map((l) => [l.slug, { latitude: l.latitude!, longitude: l.longitude! }]));
  for (const slug of LOCATIONS) {
    let at: string | null | undefined = slug;
    while (at && !own.has(at)) at = parentOf.get(at);
    if (at) coordinates.set(slug, own.get(at)!);
  }
  for (const slug of LOCATIONS) subtree.set(slug, new Set([slug]));
  for (const slug of LOCATIONS) {
    for (let above = parentOf.get(slug); above; above = parentOf.get(above)) subtree.get(above)!.add(slug);
  }

  const names: any = await app.query(`{
    a: participants(first: 100) { edges { cursor } }
    b: participants(search: "pak", first: 100) { edges { cursor } }
    c: locations(first: 100) { edges { cursor } }
    d: locations(search: "islamabad", first: 100) { edges { cursor } } }`);
  expect(names.errors).toBeUndefined();
  nameCursors = Object.values(names.data).flatMap((connection: any) => connection.edges.map((edge: any) => edge.cursor));
});
afterAll(() => app.close());

// --- generators ---------------------------------------------------------------------------

/** Either absent, null, or a value. */
const optional = <T>(value: fc.Arbitrary<T>, weight = 2) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight, arbitrary: value });

const junkString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "Iran", "iran ", " iran", "PAKISTAN", "atlantis", "nobody", "iran\u0000", "\u0000", "\ud800", "x".repeat(1000), "%", "_", "*", "' OR 1=1 --"),
);

/** Slug lists: mostly known slugs, sometimes unknown ones, sometimes past the 100-value limit. */
const slugList = (known: string[]) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.constantFrom(...known), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.array(mostly(fc.constantFrom(...known), junkString, 5), { maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...known), { minLength: 95, maxLength: 120 }) },
    { weight: 1, arbitrary: fc.array(mostly(fc.constantFrom(...known), junkString, 30), { minLength: 95, maxLength: 120 }) },
  );

/** Enum lists: subsets of the values, now and then a value that is not one. */
const enumList = (values: string[]) =>
  mostly(fc.subarray(values), fc.array(mostly(fc.constantFrom(...values), fc.constantFrom("BOMBING", "airstrike", "", "OCCURRED ")), { maxLength: 4 }), 12);

const SEARCH_TOKENS = ['"', "or", "OR", "-", "&", "|", "!", "(", ")", ":", "*", ":*", "<->", "<2>", "'", "\\", "talks", "iran", "pakistan", "airstrikes", "strike", "the", "a", "🔥", "ñ"];
const searchText = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(fc.constantFrom(...SEARCH_TOKENS), fc.constantFrom(" ", "", "  ")), { maxLength: 12 }).map((parts) => parts.map(([t, s]) => t + s).join("")) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."&|!():*-\"' orand<>"), maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "", "   ", "\u0000", "a\u0000b", "\ud800", "x\udc00y", "x".repeat(100), "x".repeat(101), "x".repeat(200), "x".repeat(201),
      `${" ".repeat(300)}x`, "word ".repeat(40), "x".repeat(5000), "🔥".repeat(50), "🔥".repeat(51), "🔥".repeat(100), "🔥".repeat(101),
      "İ".repeat(60), "!!!", "-", '"', "or", "!(", ":*", "a:*", "'", "\\",
    ),
  },
);

const minFatalities = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 2, arbitrary: fc.integer({ min: INT32[0], max: INT32[1] }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 10_000_000, INT32[1], INT32[0], 2 ** 31, 1.5, "5") },
);

/** Circles around the seed's places (or anywhere), good radii and bad, good coordinates and bad. */
const circle = fc.record({
  latitude: mostly(fc.oneof(fc.constantFrom(33.6844, 28.4907, 30.3753, 27.53, 90, -90), fc.double({ min: -90, max: 90, noNaN: true })), fc.constantFrom<unknown>(90.5, -91, 1e9, "north"), 15),
  longitude: mostly(fc.oneof(fc.constantFrom(73.0479, 65.0958, 69.3451, 60.5821, 180, -180), fc.double({ min: -180, max: 180, noNaN: true })), fc.constantFrom<unknown>(180.5, -181), 15),
  radiusKm: mostly(fc.constantFrom(1, 10, 100, 300, 700, 1200, 3000, 20_000), fc.constantFrom<unknown>(0, -1, 20_000.5, 1e9, "far"), 8),
});
const coordinate = (values: number[], bound: number) =>
  mostly(fc.constantFrom(...values), fc.constantFrom<unknown>(bound + 0.5, -bound - 1), 20);
const box = fc.record({
  south: coordinate([-90, -20, 25, 28.4907, 30, 33.7, 90], 90),
  north: coordinate([-90, -10, 29, 33.6844, 35, 90], 90),
  west: coordinate([-180, -170, 60, 65.0958, 69.3451, 73.0479, 175, 180], 180),
  east: coordinate([-180, -170, 60.5821, 66, 70, 73.0935, 175, 180], 180),
});

const filterArb = fc.record(
  {
    from: optional(dateText, 3),
    to: optional(dateText, 3),
    categories: optional(enumList(CATEGORIES)),
    statuses: optional(enumList(STATUSES)),
    participants: optional(slugList(PARTICIPANTS)),
    roles: optional(enumList(ROLES)),
    locations: optional(slugList(LOCATIONS)),
    near: optional(circle, 1),
    box: optional(box, 1),
    minFatalities: optional(minFatalities),
    search: optional(searchText),
    dateMatch: optional(mostly(fc.constantFrom("OVERLAPS", "WITHIN"), fc.constantFrom<unknown>("overlaps", "EXACT", "", 1), 12)),
  },
  { requiredKeys: [] },
);
const filterOrNot = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(undefined, null) }, { weight: 8, arbitrary: filterArb });

type Filter = Partial<
  Record<"from" | "to" | "dateMatch" | "categories" | "statuses" | "participants" | "roles" | "locations" | "near" | "box" | "minFatalities" | "search", any>
>;

const pageSize = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 100 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -1, 101, 1000, INT32[0], INT32[1]) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(2 ** 31, 1.5, "5", NaN) },
);

// Cursors: the keyset position (window's earliest ms, causal depth, id) of an event, or (rank, name, id) of a name.
const INSTANT = [-62_135_596_800_000, Date.UTC(9999, 11, 31, 23, 59, 59, 999)] as const;
const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url");

interface CursorCase {
  cursor: unknown;
  /** Whether the list it is sent to must accept it: "ok", "bad", or "either". */
  event: Outcome;
  name: Outcome;
  /** The keyset position, when it is an event position. */
  position?: Position;
}

const instant = mostly(
  fc.oneof(fc.integer({ min: INSTANT[0], max: INSTANT[1] }), fc.constantFrom(INSTANT[0], INSTANT[1], 0, Date.UTC(2024, 0, 17))).map((v) => ({ v, ok: true })),
  fc.constantFrom(INSTANT[0] - 1, INSTANT[1] + 1, 1e20, 2 ** 53, 1.5).map((v) => ({ v, ok: false })),
);
const int4 = mostly(
  fc.oneof(fc.integer({ min: INT32[0], max: INT32[1] }), fc.constantFrom(INT32[0], INT32[1], 0, 1, 5)).map((v) => ({ v, ok: true })),
  fc.constantFrom(INT32[1] + 1, INT32[0] - 1, 2.5).map((v) => ({ v, ok: false })),
);
const sortName = fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: "binary", maxLength: 10 }), fc.constantFrom("", "iran", "\u0000", "a\u0000", "\ud800", "x".repeat(300)));

const cursorArb: fc.Arbitrary<CursorCase> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.nat().map((i) => {
      const e = events[i % events.length];
      return { cursor: e.cursor, event: "ok" as Outcome, name: "bad" as Outcome, position: { earliest: e.earliest, depth: e.depth, id: e.id } };
    }),
  },
  { weight: 2, arbitrary: fc.nat().map((i) => ({ cursor: nameCursors[i % nameCursors.length], event: "bad" as Outcome, name: "ok" as Outcome })) },
  {
    weight: 2,
    arbitrary: fc.tuple(instant, int4, int4).map(([t, depth, id]) => ({
      cursor: encode(`c1:${JSON.stringify([t.v, depth.v, id.v])}`),
      event: (t.ok && depth.ok && id.ok ? "ok" : "bad") as Outcome,
      name: "bad" as Outcome,
      position: t.ok && depth.ok && id.ok ? { earliest: t.v, depth: depth.v, id: id.v } : undefined,
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(int4, sortName, int4).map(([rank, name, id]) => {
      const bytes = encode(`c1:${JSON.stringify([rank.v, name, id.v])}`);
      const valid = rank.ok && id.ok && bytes.length <= 512;
      // A name with NUL cannot be a stored name: refusing it or finding nothing after it are both right.
      return { cursor: bytes, event: "bad" as Outcome, name: (valid ? (name.includes("\u0000") ? "either" : "ok") : "bad") as Outcome };
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          "", " ", "abc=", "a+b/", "YzE6WzEsMl0=", encode("c1:[1,"), encode("c2:[0,1]"), encode("c1:{}"), encode("c1:[0]"), encode("c1:[0,1,2,3]"),
          encode("[0,1]"), encode("c1:[0,1]"), encode('c1:["0",0,1]'), encode("c1:[null,1]"), encode("c1:[0,true]"), encode(`c1:[0,${"1".repeat(400)}]`), "x".repeat(600),
        ),
        fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), maxLength: 40 }),
        fc.string({ unit: "binary", maxLength: 30 }),
      )
      .map((cursor) => ({ cursor, event: "bad" as Outcome, name: "bad" as Outcome })),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(12, true).map((cursor) => ({ cursor, event: "bad" as Outcome, name: "bad" as Outcome })) },
);

const order = fc.constantFrom<unknown>(undefined, "ASC", "DESC", "ASC", "DESC", null, "asc");

// --- the model ----------------------------------------------------------------------------

/**
 * What a filter must do, in two steps: "coercion" is what variables coercion refuses (values
 * of the wrong type, malformed dates) before any resolver runs; "resolver" is what the resolver
 * refuses (from after to, lists over 100, unknown slugs, negative tolls, overlong search).
 */
function filterModel(filter: Filter | null | undefined): { coercion: Outcome; resolver: Outcome } {
  if (filter == null) return { coercion: "ok", resolver: "ok" };
  let coercion: Outcome = "ok";
  let resolver: Outcome = "ok";
  const [from, to] = [filter.from, filter.to].map((bound) => (bound == null ? undefined : modelDate(bound)));
  if (from === null || to === null) coercion = "bad";
  if (from && to && from.start >= to.end) resolver = "bad";
  if (filter.dateMatch != null && filter.dateMatch !== "OVERLAPS" && filter.dateMatch !== "WITHIN") coercion = "bad";
  const lists: Array<[unknown[] | null | undefined, (value: unknown) => boolean, boolean]> = [
    [filter.categories, (v) => CATEGORIES.includes(v as string), true],
    [filter.statuses, (v) => STATUSES.includes(v as string), true],
    [filter.roles, (v) => ROLES.includes(v as string), true],
    [filter.participants, (v) => PARTICIPANTS.includes(v as string), false],
    [filter.locations, (v) => LOCATIONS.includes(v as string), false],
  ];
  for (const [list, known, isEnum] of lists) {
    if (list == null) continue;
    if (isEnum && !list.every(known)) coercion = "bad";
    if (list.length > 100 || !list.every(known)) resolver = "bad";
  }
  // Coordinates: Float coercion refuses what is not a number; the resolver what is off the globe.
  const finite = (value: unknown) => typeof value === "number" && Number.isFinite(value);
  const latitude = (value: unknown) => (value as number) >= -90 && (value as number) <= 90;
  const longitude = (value: unknown) => (value as number) >= -180 && (value as number) <= 180;
  if (filter.near != null) {
    const { latitude: lat, longitude: lon, radiusKm } = filter.near;
    if (![lat, lon, radiusKm].every(finite)) coercion = "bad";
    else if (!latitude(lat) || !longitude(lon) || radiusKm <= 0 || radiusKm > 20_000) resolver = "bad";
  }
  if (filter.box != null) {
    const { south, west, north, east } = filter.box;
    if (![south, west, north, east].every(finite)) coercion = "bad";
    else if (!latitude(south) || !latitude(north) || !longitude(west) || !longitude(east) || south > north) resolver = "bad";
  }
  if (filter.minFatalities != null) {
    if (!isInt32(filter.minFatalities)) coercion = "bad";
    else if (filter.minFatalities < 0) resolver = "bad";
  }
  if (filter.search != null) {
    const search = String(filter.search).trim();
    if (search && (search.length > 200 || search.includes("\u0000"))) resolver = "bad";
  }
  return { coercion, resolver };
}

/** Coercion of an Int argument: absent or null, or a 32-bit integer. */
const intCoerces = (value: unknown) => value == null || isInt32(value);
/** Coercion of a String argument. */
const stringCoerces = (value: unknown) => value == null || typeof value === "string";
/** Coercion of the order: ASC, DESC, absent; null is the default (ASC) or refused, never DESC. */
const orderModel = (value: unknown): Outcome => (value === undefined || value === "ASC" || value === "DESC" ? "ok" : value === null ? "either" : "bad");

interface Paging {
  first?: unknown;
  after?: CursorCase;
  last?: unknown;
  before?: CursorCase;
}

/** Paging as the contract states it: first/after or last/before, not both; 1 to 100; cursors the server issued. */
function pagingModel(paging: Paging, kind: "event" | "name"): { coercion: Outcome; resolver: Outcome } {
  const coerces = [paging.first, paging.last].every(intCoerces) && [paging.after?.cursor, paging.before?.cursor].every(stringCoerces);
  if (!coerces) return { coercion: "bad", resolver: "bad" };
  const forward = paging.first != null || paging.after?.cursor != null;
  const backward = paging.last != null || paging.before?.cursor != null;
  if (forward && backward) return { coercion: "ok", resolver: "bad" };
  const size = backward ? paging.last : paging.first;
  if (size != null && ((size as number) < 1 || (size as number) > 100)) return { coercion: "ok", resolver: "bad" };
  const cursor = backward ? paging.before : paging.after;
  return { coercion: "ok", resolver: cursor?.cursor == null ? "ok" : cursor[kind] };
}

/** A filter the model accepts, as the oracle applies it. */
function matcher(filter: Filter | null | undefined): (e: StoredEvent) => boolean {
  const f = filter ?? {};
  const [from, to] = [f.from, f.to].map((bound) => (bound == null ? null : modelDate(bound)!));
  const list = (values: unknown) => (Array.isArray(values) && values.length ? (values as string[]) : null);
  const [categories, statuses, participants, locations, roles] = [f.categories, f.statuses, f.participants, f.locations, f.roles].map(list);
  const within = f.dateMatch === "WITHIN";
  const involved = (e: StoredEvent) =>
    participants
      ? e.roles.some((pair) => { const [slug, role] = pair.split("/"); return participants.includes(slug) && (!roles || roles.includes(role)); })
      : !roles || e.roles.some((pair) => roles.includes(pair.split("/")[1]));
  const at = (e: StoredEvent) => (e.location === null ? undefined : coordinates.get(e.location));
  const near = (e: StoredEvent) => {
    const point = at(e);
    return point !== undefined && distanceKm(f.near, point) <= f.near.radiusKm;
  };
  const inBox = (e: StoredEvent) => {
    const point = at(e);
    if (!point || point.latitude < f.box.south || point.latitude > f.box.north) return false;
    return f.box.west <= f.box.east
      ? point.longitude >= f.box.west && point.longitude <= f.box.east
      : point.longitude >= f.box.west || point.longitude <= f.box.east;
  };
  return (e) =>
    (!from || (within ? e.earliest >= from.start : e.latest >= from.start)) &&
    (!to || (within ? e.latest < to.end : e.earliest < to.end)) &&
    (!categories || categories.includes(e.category)) &&
    (!statuses || statuses.includes(e.status)) &&
    involved(e) &&
    (f.near == null || near(e)) &&
    (f.box == null || inBox(e)) &&
    (!locations || locations.some((l) => e.location !== null && subtree.get(l)!.has(e.location))) &&
    (f.minFatalities == null || (e.fatalities !== null && e.fatalities >= f.minFatalities));
}

/** Participant.events: the participant is involved, in one of the filter's roles when it names any. */
const involves = (e: StoredEvent, slug: string, roles: unknown) =>
  Array.isArray(roles) && roles.length ? e.roles.some((pair) => roles.some((role) => pair === `${slug}/${role}`)) : e.participants.includes(slug);

const storedById = () => new Map(events.map((e) => [String(e.id), e]));

/**
 * Every event served matches the filter (its dates, categories, statuses, participants, places
 * and toll, read back from the store); without a search, totalCount is the number that match.
 */
function expectMatching(connection: any, filter: Filter | null | undefined, inScope: (e: StoredEvent) => boolean, withTotal: boolean): void {
  const matching = matcher(filter);
  const byId = storedById();
  for (const { node } of connection.edges) {
    const stored = byId.get(node.id)!;
    expect({ id: node.id, matches: matching(stored) && inScope(stored) }).toEqual({ id: node.id, matches: true });
  }
  if (withTotal && !filter?.search?.trim?.()) expect(connection.totalCount).toBe(events.filter((e) => inScope(e) && matching(e)).length);
}

// --- checks on what comes back ------------------------------------------------------------

interface Position {
  earliest: number;
  depth: number;
  id: number;
}
/** The timeline's order: by the window's earliest start, causes before their effects, then by id. */
const compare = (a: Position, b: Position) => a.earliest - b.earliest || a.depth - b.depth || a.id - b.id;

/**
 * A page of events is well formed: at most the size asked for, no more than totalCount, each
 * event once, in the order asked for and on the right side of the cursor, with its own cursor,
 * and pageInfo agreeing with the edges.
 */
function expectEventPage(connection: any, paging: Paging, order: unknown, withTotal: boolean): void {
  const backward = paging.last != null || paging.before?.cursor != null;
  const size = ((backward ? paging.last : paging.first) as number | null | undefined) ?? 20;
  const cursor = backward ? paging.before : paging.after;
  const { edges, pageInfo } = connection;
  expect(edges.length).toBeLessThanOrEqual(size);
  if (withTotal) {
    expect(connection.totalCount).toBeGreaterThanOrEqual(edges.length);
    if (cursor?.cursor == null) expect(edges.length).toBe(Math.min(size, connection.totalCount));
  }
  const byId = storedById();
  const positions: Position[] = edges.map((edge: any) => byId.get(edge.node.id)!);
  expect(new Set(positions.map((p: any) => p.id)).size).toBe(positions.length);
  const direction = order === "DESC" ? -1 : 1;
  for (let i = 1; i < positions.length; i++) expect(direction * compare(positions[i], positions[i - 1])).toBeGreaterThan(0);
  // Never an effect before its cause (after it, read newest first).
  const placeOf = new Map(positions.map((p, i) => [p.id, i]));
  for (const p of positions) {
    for (const cause of byId.get(String(p.id))!.causes) {
      if (placeOf.has(cause)) expect(direction * (placeOf.get(p.id)! - placeOf.get(cause)!)).toBeGreaterThan(0);
    }
  }
  if (cursor?.position) {
    for (const p of positions) expect(direction * compare(p, cursor.position) * (backward ? -1 : 1)).toBeGreaterThan(0);
  }
  for (const edge of edges) expect(edge.cursor).toBe(cursorOf.get(edge.node.id));
  expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
  expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
  if (edges.length < size) expect(backward ? pageInfo.hasPreviousPage : pageInfo.hasNextPage).toBe(false);
  if (cursor?.cursor == null) expect(backward ? pageInfo.hasNextPage : pageInfo.hasPreviousPage).toBe(false);
}

/** Sends a read and checks what holds whatever was sent; returns the result. */
async function read(query: string, variables: Record<string, unknown>) {
  const result = await app.query(query, sent(variables));
  expectWellFormedErrors(result, ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]);
  return result;
}

const PAGE_INFO = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const eventPage = (withTotal: boolean, node = "") => `${withTotal ? "totalCount" : ""} ${PAGE_INFO} edges { cursor node { id occurredAt ${node} } }`;

/** Counts of the outcomes, so that a property can show it exercised both. */
const tally = () => ({ ok: 0, refused: 0 });
const expectBoth = (outcomes: { ok: number; refused: number }) => {
  expect(outcomes.ok).toBeGreaterThan(RUNS / 10);
  expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
};

const TIMEOUT = 300_000;

// --- the properties -----------------------------------------------------------------------

describe("fuzzing the timeline's filters and paging", () => {
  it(`timeline: refused with BAD_USER_INPUT exactly as the model says, otherwise a well-formed page (${RUNS} runs)`, async () => {
    const outcomes = tally();
    const paging: fc.Arbitrary<Paging> = fc.oneof(
      fc.record({ first: pageSize, after: cursorArb }, { requiredKeys: [] }),
      fc.record({ last: pageSize, before: cursorArb }, { requiredKeys: [] }),
      fc.record({ first: pageSize, after: cursorArb, last: pageSize, before: cursorArb }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(filterOrNot, paging, order, fc.boolean(), async (filter, page, sortOrder, withTotal) => {
        const query = `query($filter: TimelineFilter, $order: SortOrder, $first: Int, $after: String, $last: Int, $before: String) {
          timeline(filter: $filter, order: $order, first: $first, after: $after, last: $last, before: $before) { ${eventPage(withTotal)} } }`;
        const result = await read(query, {
          filter,
          order: sortOrder,
          first: page.first,
          after: page.after?.cursor,
          last: page.last,
          before: page.before?.cursor,
        });
        const [f, p] = [filterModel(filter), pagingModel(page, "event")];
        const outcome = f.coercion === "bad" || p.coercion === "bad" ? "bad" : worst(f.resolver, p.resolver, orderModel(sortOrder));
        if (expectOutcome(result, outcome)) {
          expectEventPage(result.data!.timeline, page, sortOrder, withTotal);
          expectMatching(result.data!.timeline, filter, () => true, withTotal);
          outcomes.ok += 1;
        } else outcomes.refused += 1;
      }),
      { numRuns: RUNS },
    );
    expectBoth(outcomes);
  }, TIMEOUT);

  it(`timelineStats: count, monthly buckets and top participants are consistent, or the request is refused as the model says (${RUNS} runs)`, async () => {
    const outcomes = tally();
    const limit = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<unknown>(undefined, null) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 100 }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -1, 101, INT32[1], 2 ** 31) },
    );
    const query = `query($filter: TimelineFilter, $limit: Int) { timelineStats(filter: $filter) {
      count fatalities
      buckets(interval: MONTH) { start count fatalities }
      imprecise(interval: MONTH)
      topParticipants(limit: $limit) { participant { slug } count fatalities } } }`;
    await fc.assert(
      fc.asyncProperty(filterOrNot, limit, async (filter, top) => {
        const result = await read(query, { filter, limit: top });
        const f = filterModel(filter);
        const limitOutcome: Outcome = !intCoerces(top) ? "bad" : top == null || ((top as number) >= 1 && (top as number) <= 100) ? "ok" : "bad";
        const outcome = f.coercion === "bad" || !intCoerces(top) ? "bad" : worst(f.resolver, limitOutcome);
        // More than 5000 monthly buckets is refused too. They cover from..to and every month an
        // event counts in (its whole window in it) when the bounds are given, else the matching
        // windows: without a search the oracle knows which match, so how many there are.
        const matching = outcome === "ok" && !filter?.search?.trim?.() ? events.filter(matcher(filter)) : null;
        const month = (ms: number) => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();
        const counted = (e: StoredEvent) => month(e.earliest) === month(e.latest);
        let buckets: Outcome = "either";
        if (matching) {
          const [from, to] = [filter?.from, filter?.to].map((bound) => (bound == null ? null : modelDate(bound)!));
          const countedMonths = matching.filter(counted).map((e) => month(e.earliest));
          const lows = from ? [month(from.start), ...countedMonths] : [...matching.map((e) => month(e.earliest)), ...(to ? [month(to.end - 1)] : [])];
          const highs = to ? [month(to.end - 1), ...countedMonths] : [...matching.map((e) => month(e.latest)), ...(from ? [month(from.start)] : [])];
          buckets = lows.length && Math.max(...highs) - Math.min(...lows) + 1 > 5000 ? "bad" : "ok";
        }
        const tooManyBuckets =
          outcome === "ok" &&
          buckets !== "ok" &&
          result.errors?.every((error) => error.extensions?.code === "BAD_USER_INPUT" && error.path?.join(".") === "timelineStats.buckets");
        if (tooManyBuckets) {
          outcomes.refused += 1;
          return;
        }
        if (!expectOutcome(result, outcome === "ok" && buckets === "bad" ? "bad" : outcome)) {
          outcomes.refused += 1;
          return;
        }
        outcomes.ok += 1;
        const stats = result.data!.timelineStats;
        const served: Array<{ start: string; count: number; fatalities: number }> = stats.buckets;
        // Each event counts in one bucket, or is imprecise; a bucket sums the tolls of those it counts.
        expect(served.reduce((sum, b) => sum + b.count, 0) + stats.imprecise).toBe(stats.count);
        if (matching) {
          expect(stats.count).toBe(matching.length);
          expect(stats.imprecise).toBe(matching.filter((e) => !counted(e)).length);
          expect(served.reduce((sum, b) => sum + b.fatalities, 0)).toBe(matching.filter(counted).reduce((sum, e) => sum + (e.fatalities ?? 0), 0));
        } else expect(served.reduce((sum, b) => sum + b.fatalities, 0)).toBeLessThanOrEqual(stats.fatalities);
        // Contiguous months: each bucket starts on the 1st at 00:00 UTC, a month after the one before.
        const starts = served.map((b) => new Date(b.start));
        const gaps = starts.filter((start, i) =>
          i === 0
            ? start.getTime() !== utcMs(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)
            : start.getTime() !== utcMs(starts[i - 1].getUTCFullYear(), starts[i - 1].getUTCMonth() + 2, 1),
        );
        expect(gaps).toEqual([]);
        const [from, to] = [filter?.from, filter?.to].map((bound) => (bound == null ? null : (modelDate(bound) as DateModel)));
        expect(served.length === 0).toBe(stats.count === 0 && !from && !to);
        if (from) expect(starts[0].getTime()).toBeLessThanOrEqual(from.start);
        if (to) {
          const last = starts.at(-1)!;
          expect(utcMs(last.getUTCFullYear(), last.getUTCMonth() + 2, 1)).toBeGreaterThanOrEqual(to.end);
        }
        const topList: Array<{ participant: { slug: string }; count: number }> = stats.topParticipants;
        expect(topList.length).toBeLessThanOrEqual((top as number | null | undefined) ?? 10);
        expect(new Set(topList.map((t) => t.participant.slug)).size).toBe(topList.length);
        topList.forEach((t, i) => {
          expect(t.count).toBeGreaterThanOrEqual(1);
          expect(t.count).toBeLessThanOrEqual(stats.count);
          if (i) expect(t.count).toBeLessThanOrEqual(topList[i - 1].count);
        });
      }),
      { numRuns: RUNS },
    );
    expectBoth(outcomes);
  }, TIMEOUT);

  for (const scope of ["participant", "location"] as const) {
    it(`${scope === "participant" ? "Participant" : "Location"}.events: refused as the model says, otherwise a well-formed page of the ${scope}'s events (${RUNS} runs)`, async () => {
      const outcomes = tally();
      const known = scope === "participant" ? PARTICIPANTS : LOCATIONS;
      const slug = mostly(fc.constantFrom(...known), junkString, 12);
      const paging = fc.record({ first: pageSize, after: cursorArb }, { requiredKeys: [] });
      await fc.assert(
        fc.asyncProperty(slug, filterOrNot, paging, order, fc.boolean(), async (owner, filter, page, sortOrder, withTotal) => {
          const node = scope === "participant" ? "participants { participant { slug } }" : "location { slug }";
          const query = `query($slug: String!, $filter: TimelineFilter, $order: SortOrder, $first: Int, $after: String) {
            owner: ${scope}(slug: $slug) { slug events(filter: $filter, order: $order, first: $first, after: $after) { ${eventPage(withTotal, node)} } } }`;
          const result = await read(query, { slug: owner, filter, order: sortOrder, first: page.first, after: page.after?.cursor });
          const [f, p] = [filterModel(filter), pagingModel(page, "event")];
          // No such participant or location: null, and nothing else is looked at (beyond coercion).
          // A slug with NUL cannot be stored: null or BAD_USER_INPUT.
          const exists = known.includes(owner);
          const outcome =
            f.coercion === "bad" || p.coercion === "bad" || sortOrder === "asc"
              ? "bad"
              : exists
                ? worst(f.resolver, p.resolver, orderModel(sortOrder))
                : owner.includes("\u0000")
                  ? "either"
                  : "ok";
          if (!expectOutcome(result, outcome)) {
            outcomes.refused += 1;
            return;
          }
          const found = result.data!.owner;
          if (!exists) {
            expect(found).toBeNull();
            outcomes.refused += 1;
            return;
          }
          outcomes.ok += 1;
          expectEventPage(found.events, page, sortOrder, withTotal);
          const inScope = (e: StoredEvent) =>
            scope === "participant" ? involves(e, owner, filter?.roles) : e.location !== null && subtree.get(owner)!.has(e.location);
          expectMatching(found.events, filter, inScope, withTotal);
        }),
        { numRuns: RUNS },
      );
      expectBoth(outcomes);
    }, TIMEOUT);
  }

  for (const table of ["participants", "locations"] as const) {
    it(`${table}(search, kind, first, after): refused as the model says, otherwise a well-formed page (${RUNS} runs)`, async () => {
      const outcomes = tally();
      const kinds = table === "participants" ? PARTICIPANT_KINDS : LOCATION_KINDS;
      const kind = fc.oneof({ weight: 4, arbitrary: fc.constantFrom<unknown>(undefined, null) }, { weight: 4, arbitrary: fc.constantFrom(...kinds) }, { weight: 1, arbitrary: fc.constantFrom<unknown>("city", "PLANET", "") });
      const search = fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null) },
        { weight: 4, arbitrary: searchText },
        { weight: 2, arbitrary: fc.constantFrom("pak", "iran", "army of justice", "Balochistan", "islamabad", "PAKISTAN", "jaish al adl", "%", "_", "\\", "a%b_c") },
      );
      const paging = fc.record({ first: pageSize, after: cursorArb }, { requiredKeys: [] });
      const query = `query($search: String, $kind: ${table === "participants" ? "ParticipantKind" : "LocationKind"}, $first: Int, $after: String) {
        list: ${table}(search: $search, kind: $kind, first: $first, after: $after) { totalCount ${PAGE_INFO} edges { cursor node { id slug kind } } } }`;
      await fc.assert(
        fc.asyncProperty(search, kind, paging, async (term, k, page) => {
          const result = await read(query, { search: term, kind: k, first: page.first, after: page.after?.cursor });
          const p = pagingModel(page, "name");
          const trimmed = typeof term === "string" ? term.trim() : "";
          const lowered = trimmed.toLowerCase();
          // The limit is 100 characters; whether counted before or after lower-casing is left open.
          const termOutcome: Outcome = lowered.includes("\u0000")
            ? "bad"
            : trimmed.length <= 100 && lowered.length <= 100
              ? "ok"
              : trimmed.length > 100 && lowered.length > 100
                ? "bad"
                : "either";
          const coerces = p.coercion === "ok" && (k == null || kinds.includes(k as string));
          const outcome = coerces ? worst(p.resolver, termOutcome) : "bad";
          if (!expectOutcome(result, outcome)) {
            outcomes.refused += 1;
            return;
          }
          outcomes.ok += 1;
          const { edges, pageInfo, totalCount } = result.data!.list;
          const size = (page.first as number | null | undefined) ?? 20;
          expect(edges.length).toBeLessThanOrEqual(size);
          expect(totalCount).toBeGreaterThanOrEqual(edges.length);
          if (page.after?.cursor == null) {
            expect(edges.length).toBe(Math.min(size, totalCount));
            expect(pageInfo.hasPreviousPage).toBe(false);
          }
          if (edges.length < size) expect(pageInfo.hasNextPage).toBe(false);
          expect(new Set(edges.map((edge: any) => edge.node.id)).size).toBe(edges.length);
          expect(new Set(edges.map((edge: any) => edge.cursor)).size).toBe(edges.length);
          if (k != null) for (const edge of edges) expect(edge.node.kind).toBe(k);
          expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
          expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
        }),
        { numRuns: RUNS },
      );
      expectBoth(outcomes);
    }, TIMEOUT);
  }
});

// --- valid filters against an oracle --------------------------------------------------------

/** Absent (undefined) five times in six. */
const sometimes = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

const validFilter = fc
  .record(
    {
      from: validDate,
      to: validDate,
      categories: fc.subarray(CATEGORIES),
      statuses: fc.subarray(STATUSES),
      participants: fc.subarray(PARTICIPANTS, { maxLength: 3 }),
      roles: sometimes(fc.subarray(ROLES, { minLength: 1, maxLength: 3 })),
      locations: fc.subarray(LOCATIONS, { maxLength: 2 }),
      // Now and then, so that most filters still match something: around a seed place, or a box
      // over the region, one of its parts, the antimeridian or the world.
      near: sometimes(
        fc.record({
          at: fc.constantFrom(...SEED.locations.filter((l) => l.latitude != null)),
          radiusKm: fc.constantFrom(10, 100, 300, 700, 1200, 3000, 20_000),
        }).map(({ at, radiusKm }) => ({ latitude: at.latitude, longitude: at.longitude, radiusKm })),
      ),
      box: sometimes(
        fc.constantFrom(
          { south: 20, west: 50, north: 40, east: 80 },
          { south: 25, west: 60, north: 31, east: 70 },
          { south: 33.6844, west: 73.0479, north: 33.7312, east: 73.0935 },
          { south: -20, west: 175, north: -10, east: -170 },
          { south: -90, west: -180, north: 90, east: 180 },
        ),
      ),
      minFatalities: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.constantFrom(0, 100, 10_000_000, INT32[1])),
      dateMatch: fc.constantFrom("OVERLAPS", "WITHIN"),
    },
    { requiredKeys: [] },
  )
  .filter(({ from, to }) => !from || !to || from.model.start < to.model.end)
  .map(({ from, to, ...rest }) => ({ ...rest, ...(from ? { from: from.text } : {}), ...(to ? { to: to.text } : {}) }));

describe("valid filters against an oracle", () => {
  it(`every list holds exactly the matching events, in order, paged as asked, and the stats agree (${RUNS} runs)`, async () => {
    let nonEmpty = 0;
    const scopeArb = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: "timeline" as const, slug: "" }) },
      { weight: 1, arbitrary: fc.constantFrom(...PARTICIPANTS).map((slug) => ({ kind: "participant" as const, slug })) },
      { weight: 1, arbitrary: fc.constantFrom(...LOCATIONS).map((slug) => ({ kind: "location" as const, slug })) },
    );
    const eventCursor = fc.nat().map((i) => events[i % events.length]);
    const forward = fc.record({ first: fc.integer({ min: 1, max: 100 }), after: eventCursor }, { requiredKeys: [] });
    const backwardOrForward = fc.oneof(forward, fc.record({ last: fc.integer({ min: 1, max: 100 }), before: eventCursor }, { requiredKeys: [] }));
    // Nested lists page forward only.
    const scopeAndPaging = scopeArb.chain((scope) => fc.tuple(fc.constant(scope), scope.kind === "timeline" ? backwardOrForward : forward));
    await fc.assert(
      fc.asyncProperty(validFilter, scopeAndPaging, fc.constantFrom(undefined, "ASC", "DESC"), async (filter, [scope, page], sortOrder) => {
        const backward = "last" in page || "before" in page;
        const variables = {
          filter,
          order: sortOrder,
          ...("first" in page ? { first: page.first } : {}),
          ...("after" in page ? { after: page.after!.cursor } : {}),
          ...("last" in page ? { last: page.last } : {}),
          ...("before" in page ? { before: page.before!.cursor } : {}),
        };
        const args = `filter: $filter, order: $order, first: $first, after: $after${scope.kind === "timeline" ? ", last: $last, before: $before" : ""}`;
        const fields = `{ totalCount ${PAGE_INFO} edges { node { id } } }`;
        const list =
          scope.kind === "timeline"
            ? `timeline(${args}) ${fields}`
            : `${scope.kind}(slug: "${scope.slug}") { events(${args}) ${fields} }`;
        const query = `query($filter: TimelineFilter, $order: SortOrder, $first: Int, $after: String${scope.kind === "timeline" ? ", $last: Int, $before: String" : ""}) { ${list} }`;
        const result = await app.query(query, sent(variables));
        expectWellFormedErrors(result, []);
        const connection = scope.kind === "timeline" ? result.data!.timeline : result.data![scope.kind].events;

        const direction = sortOrder === "DESC" ? -1 : 1;
        const inScope = (e: StoredEvent) =>
          scope.kind === "participant" ? involves(e, scope.slug, filter.roles) : scope.kind === "location" ? e.location !== null && subtree.get(scope.slug)!.has(e.location) : true;
        const matching = matcher(filter);
        const expected = events.filter((e) => inScope(e) && matching(e)).sort((a, b) => direction * compare(a, b));
        const cursor = "after" in page ? page.after : "before" in page ? page.before : undefined;
        const side = (e: StoredEvent) => (cursor ? direction * compare(e, cursor) : backward ? -1 : 1);
        const size = ("first" in page ? page.first : "last" in page ? page.last : undefined) ?? 20;
        const rest = expected.filter((e) => (backward ? side(e) < 0 : side(e) > 0));
        const served = backward ? rest.slice(Math.max(0, rest.length - size)) : rest.slice(0, size);
        const beyond = rest.length > size;
        const behind = cursor !== undefined && expected.some((e) => (backward ? side(e) >= 0 : side(e) <= 0));

        expect({
          ids: connection.edges.map((edge: any) => Number(edge.node.id)),
          totalCount: connection.totalCount,
          hasNextPage: connection.pageInfo.hasNextPage,
          hasPreviousPage: connection.pageInfo.hasPreviousPage,
        }).toEqual({
          ids: served.map((e) => e.id),
          totalCount: expected.length,
          hasNextPage: backward ? behind : beyond,
          hasPreviousPage: backward ? beyond : behind,
        });
        if (expected.length) nonEmpty += 1;
        if (scope.kind !== "timeline") return;

        // The dashboard figures over the same filter.
        const stats = await app.query(
          `query($filter: TimelineFilter) { timelineStats(filter: $filter) {
            count fatalities injured first last byCategory { category count fatalities } topParticipants(limit: 100) { participant { slug } count fatalities } } }`,
          { filter: variables.filter },
        );
        expectWellFormedErrors(stats, []);
        const sum = (values: Array<number | null>) => values.reduce<number>((total, value) => total + (value ?? 0), 0);
        const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
        const [firsts, lasts] = [expected.map((e) => e.earliest), expected.map((e) => e.latest)];
        const categories = [...new Set(expected.map((e) => e.category))].map((category) => {
          const of = expected.filter((e) => e.category === category);
          return { category, count: of.length, fatalities: sum(of.map((e) => e.fatalities)) };
        });
        const involved = [...new Set(expected.flatMap((e) => e.participants))].map((slug) => {
          const of = expected.filter((e) => e.participants.includes(slug));
          return { participant: { slug }, count: of.length, fatalities: sum(of.map((e) => e.fatalities)) };
        });
        const byCount = <T extends { count: number }>(values: T[], key: (value: T) => string) =>
          [...values].sort((a, b) => b.count - a.count || key(a).localeCompare(key(b)));
        const figures = stats.data!.timelineStats;
        expect({
          ...figures,
          byCategory: byCount(figures.byCategory, (c: any) => c.category),
          topParticipants: byCount(figures.topParticipants, (p: any) => p.participant.slug),
        }).toEqual({
          count: expected.length,
          fatalities: sum(expected.map((e) => e.fatalities)),
          injured: sum(expected.map((e) => e.injured)),
          first: iso(firsts.length ? Math.min(...firsts) : undefined),
          last: iso(lasts.length ? Math.max(...lasts) : undefined),
          byCategory: byCount(categories, (c) => c.category),
          topParticipants: byCount(involved, (p) => p.participant.slug),
        });
        // Most events first.
        for (const list of [figures.byCategory, figures.topParticipants]) {
          list.forEach((entry: any, i: number) => i && expect(entry.count).toBeLessThanOrEqual(list[i - 1].count));
        }
      }),
      { numRuns: RUNS },
    );
    expect(nonEmpty).toBeGreaterThan(RUNS / 10);
  }, TIMEOUT);
});
