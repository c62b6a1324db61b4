import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { causallyConsistent, earliestPublication, ownWindow, storedCausalState } from "./support/causal-model";
import { fingerprint } from "./support/fingerprint";
import { uniqueTag } from "./support/factories";
import {
  dateText,
  expectOutcome,
  expectWellFormedErrors,
  modelDate,
  modelText,
  modelWhen,
  validDate,
  mostly,
  rowCounts,
  RUNS,
  sent,
  textOf,
  worst,
  type DateModel,
  type Outcome,
  type RowCounts,
} from "./support/fuzz";
import { startTestApp, type TestApp } from "./support/test-app";

// Fuzzing of every write input through the API with variables: EventInput (createEvent),
// EventUpdateInput (updateEvent), ParticipantInput (upsertParticipant) and LocationInput
// (upsertLocation), good and bad values mixed. A small model of the rules (README, Writes;
// the inputs' descriptions) says which must be refused; a refused write must be BAD_USER_INPUT
// (NOT_FOUND for an unknown event) and leave every table as it was (row counts each time, the
// full fingerprint now and then), an accepted one must read back as sent (trimmed, slug derived,
// fields left out kept). Never INTERNAL_SERVER_ERROR, never a partial write. On failure
// fast-check prints the seed and the shrunk input to replay it.

const SEED = JSON.parse(readFileSync(path.join(__dirname, "../seed/ap-2024-01-29-iran-pakistan.json"), "utf8")) as {
  url: string;
  participants: Array<{ slug: string }>;
  locations: Array<{ slug: string }>;
};
const PARTICIPANTS = SEED.participants.map((p) => p.slug);
const LOCATIONS = SEED.locations.map((l) => l.slug);
const CATEGORIES = ["AIRSTRIKE", "ARMED_CLASH", "ATTACK", "EXPLOSION", "PROTEST", "RIOT", "DIPLOMACY", "STATEMENT", "LEGAL", "POLITICAL", "HUMANITARIAN", "OTHER"];
const ROLES = ["ACTOR", "TARGET", "VICTIM", "PARTICIPANT", "HOST", "MEDIATOR"];
const PARTICIPANT_KINDS = ["COUNTRY", "PERSON", "ARMED_GROUP", "ORGANIZATION", "GROUP"];
const LOCATION_KINDS = ["COUNTRY", "REGION", "CITY", "SITE"];
const RANK: Record<string, number> = { COUNTRY: 0, REGION: 1, CITY: 2, SITE: 3 };
const INT32 = [-2_147_483_648, 2_147_483_647] as const;
const isInt32 = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= INT32[0] && (value as number) <= INT32[1];
const MAX_TOLL = 10_000_000;
const SECOND_URL = "https://example.org/fuzz/second-article";
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

let app: TestApp;
let seedEventIds: string[] = [];
/** The event updateEvent works on, and two of its consequences (target -> c1 -> c2): causes that would close a loop. */
let target: string;
let downstream: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  const events: any = await app.query(`{ timeline(first: 100) { edges { node { id } } } }`);
  seedEventIds = events.data.timeline.edges.map((edge: any) => edge.node.id);
  const ingested = await app.write(`mutation($input: ArticleInput!) { ingestArticle(input: $input) { created } }`, {
    input: {
      url: SECOND_URL,
      title: "A second stored article",
      publishedAt: "2024-03-01T00:00:00Z",
      events: [{ key: "one", title: "Something reported twice", date: "2024-03-01", category: "OTHER" }],
    },
  });
  expect(ingested.errors).toBeUndefined();
  const create = async (input: Record<string, unknown>) => {
    const result: any = await app.write(`mutation($input: EventInput!) { createEvent(input: $input) { id } }`, { input });
    expect(result.errors).toBeUndefined();
    return result.data.createEvent.id as string;
  };
  target = await create({ title: "The event under update", date: "2024-02-02", category: "OTHER" });
  const c1 = await create({ title: "Its consequence", date: "2024-02-03", category: "OTHER", causes: [target] });
  const c2 = await create({ title: "A consequence of that", date: "2024-02-04", category: "OTHER", causes: [c1] });
  downstream = [c1, c2];
  for (const input of [
    { slug: "fuzz-cycle-a", name: "Fuzz cycle A", kind: "REGION", parent: "pakistan" },
    { slug: "fuzz-cycle-b", name: "Fuzz cycle B", kind: "REGION", parent: "fuzz-cycle-a" },
  ]) {
    const result = await app.write(`mutation($input: LocationInput!) { upsertLocation(input: $input) { id } }`, { input });
    expect(result.errors).toBeUndefined();
  }
});
afterAll(() => app.close());

// --- shared generators and models ---------------------------------------------------------------

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** Absent (undefined), null, or a value. */
const optional = <T>(value: fc.Arbitrary<T>, weight = 3) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight, arbitrary: value });

/** A few values of the wrong GraphQL type, which variable coercion refuses. */
const wrongType = fc.constantFrom<unknown>(42, true, ["x"], { x: 1 });

const text = (max: number) => mostly(textOf(max), wrongType, 40) as fc.Arbitrary<unknown>;

/** A required text: "bad" unless a string that is valid and not blank. */
const requiredText = (value: unknown, max: number): string | "bad" => {
  if (typeof value !== "string") return "bad";
  const model = modelText(value, max);
  return model === null ? "bad" : model;
};
/** An optional text: null for null or blank; "bad" for a wrong type or an invalid text. */
const optionalText = (value: unknown, max: number): string | null | "bad" =>
  value == null ? null : typeof value !== "string" ? "bad" : modelText(value, max);

const toll = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 500 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, MAX_TOLL, MAX_TOLL + 1, -1, INT32[0], INT32[1], 2 ** 31, 1.5, "5", NaN) },
);
/** A toll: "bad" when refused, otherwise what is stored (null when unknown). */
const modelToll = (value: unknown): number | null | "bad" =>
  value == null ? null : !isInt32(value) || value < 0 || value > MAX_TOLL ? "bad" : value;

const junkSlug = fc.constantFrom("ghost", "Iran", "iran ", " pakistan", "", "PAKISTAN", "\u0000", "a\u0000b", "x".repeat(300), "\ud800", "iran-");

// Tolls as TollInput and claims (contract: Toll, Claim), with a model of the rules written from
// the contract's words, apart from the service.
const QUALIFIERS = ["EXACT", "AT_LEAST", "AT_MOST", "ABOUT", "RANGE"] as const;
type ModelToll = { low: number | null; best: number; high: number | null; qualifier: string; text: string | null };
const tollEnd = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, MAX_TOLL + 1, 1.5, "3") },
);
/** Any mix of ends and qualifier: mostly refused. */
const anyTollInput = fc.record(
  {
    low: optional(tollEnd),
    best: optional(tollEnd),
    high: optional(tollEnd),
    qualifier: optional(mostly(fc.constantFrom<unknown>(...QUALIFIERS), fc.constantFrom<unknown>("ROUGHLY", "exact"), 15), 4),
    text: optional(text(200)),
  },
  { requiredKeys: [] },
);
/** Ends that fit their qualifier, as a source gives them. */
const fittingTollInput = fc
  .tuple(fc.constantFrom(...QUALIFIERS), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 }), fc.boolean(), fc.option(fc.constantFrom("at least nine", "two children", "dozens", "some 50", "more than 20"), { nil: undefined }))
  .map(([qualifier, figure, spread, withBest, words]) => {
    const ends: Record<string, number> =
      qualifier === "AT_LEAST" ? { low: figure } : qualifier === "AT_MOST" ? { high: figure } : qualifier === "RANGE" ? { low: figure, high: figure + spread } : { best: figure };
    if (withBest && qualifier !== "EXACT" && qualifier !== "ABOUT") ends.best = qualifier === "AT_MOST" ? figure : figure + Math.floor(spread / 2);
    return { ...ends, qualifier, ...(words === undefined ? {} : { text: words }) };
  });
const tollInput = fc.oneof({ weight: 4, arbitrary: fittingTollInput }, { weight: 1, arbitrary: anyTollInput });

function modelTollInput(input: Record<string, unknown> | null | undefined): ModelToll | null | "bad" {
  if (input == null) return null;
  const ends = (["low", "best", "high"] as const).map((end) => modelToll(input[end]));
  const words = optionalText(input.text, 200);
  const qualifier = String(input.qualifier ?? "EXACT");
  if (ends.includes("bad") || words === "bad" || !(QUALIFIERS as readonly unknown[]).includes(qualifier)) return "bad";
  const [low, best, high] = ends as Array<number | null>;
  const given = [low, best, high].filter((end): end is number => end !== null);
  if (!given.length) return "bad";
  let toll: ModelToll;
  if (qualifier === "EXACT") {
    if (given.some((figure) => figure !== given[0])) return "bad";
    toll = { low: given[0], best: given[0], high: given[0], qualifier, text: words };
  } else if (qualifier === "AT_LEAST") {
    if (low === null || high !== null) return "bad";
    toll = { low, best: best ?? low, high: null, qualifier, text: words };
  } else if (qualifier === "AT_MOST") {
    if (high === null) return "bad";
    toll = { low, best: best ?? low ?? high, high, qualifier, text: words };
  } else if (qualifier === "ABOUT") {
    if (best === null) return "bad";
    toll = { low, best, high, qualifier, text: words };
  } else {
    if (low === null || high === null) return "bad";
    toll = { low, best: best ?? low, high, qualifier, text: words };
  }
  return (toll.low !== null && toll.low > toll.best) || (toll.high !== null && toll.best > toll.high) ? "bad" : toll;
}

const claimsArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.array(
      fc.record(
        {
          claimant: optional(mostly(fc.constantFrom(...PARTICIPANTS), junkSlug, 40)),
          // Mostly plain words: every statement of a list must hold for the list to be taken.
          statement: mostly(fc.constantFrom<unknown>("said two children were killed", "said the strikes hit militant hideouts", "denied it"), text(2000), 3),
          // The event's own deaths try the rules' edges; the claims' tolls fit them.
          deaths: optional(fittingTollInput, 3),
          injuries: optional(fittingTollInput, 1),
        },
        { requiredKeys: ["statement"] },
      ),
      { maxLength: 4 },
    ),
  },
  { weight: 1, arbitrary: fc.array(fc.record({ statement: fc.constant("said so") }), { minLength: 50, maxLength: 51 }) },
);

type ModelClaim = { claimant: { slug: string } | null; statement: string; deaths: ModelToll | null; injuries: ModelToll | null };

function modelClaims(claims: ReadonlyArray<Record<string, unknown>>): ModelClaim[] | "bad" {
  if (claims.length > 50) return "bad";
  const modelled = claims.map((claim) => {
    const claimant = claim.claimant == null ? null : PARTICIPANTS.includes(claim.claimant as string) ? { slug: claim.claimant as string } : "bad";
    const statement = requiredText(claim.statement, 2000);
    const deaths = modelTollInput(claim.deaths as Record<string, unknown> | null | undefined);
    const injuries = modelTollInput(claim.injuries as Record<string, unknown> | null | undefined);
    return [claimant, statement, deaths, injuries].includes("bad") ? "bad" : ({ claimant, statement, deaths, injuries } as ModelClaim);
  });
  return modelled.includes("bad") ? "bad" : (modelled as ModelClaim[]);
}

/** The toll claims give an event with none of its own: one figure (or identical ones) as it is; else RANGE, best the lower median. */
function tollOfClaims(tolls: ReadonlyArray<ModelToll | null>): ModelToll | null {
  const figures = tolls.filter((toll): toll is ModelToll => toll !== null);
  if (!figures.length) return null;
  if (figures.every((toll) => JSON.stringify(toll) === JSON.stringify(figures[0]))) return figures[0];
  const bests = figures.map((toll) => toll.best).sort((a, b) => a - b);
  return { low: bests[0], best: bests[Math.floor((bests.length - 1) / 2)], high: bests.at(-1)!, qualifier: "RANGE", text: null };
}


const participantRefs = (max = 4) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.record({ participant: mostly(fc.constantFrom(...PARTICIPANTS), junkSlug, 15), role: mostly(fc.constantFrom(...ROLES), fc.constantFrom("actor", "BYSTANDER"), 30) }), { maxLength: max }) },
    // The same pair again and again, and one participant in several roles.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PARTICIPANTS), fc.subarray(ROLES, { minLength: 1 }), fc.integer({ min: 1, max: 4 })).map(([participant, roles, times]) => Array.from({ length: times }, () => roles.map((role) => ({ participant, role }))).flat()) },
    { weight: 1, arbitrary: fc.array(fc.record({ participant: fc.constantFrom(...PARTICIPANTS), role: fc.constantFrom(...ROLES) }), { minLength: 98, maxLength: 103 }) },
  );

/** "bad", or the distinct (slug, role) pairs that must be stored, sorted. */
function modelParticipants(refs: Array<{ participant: string; role: string }>): string[] | "bad" {
  if (refs.length > 100) return "bad";
  if (!refs.every((r) => PARTICIPANTS.includes(r.participant) && ROLES.includes(r.role))) return "bad";
  return [...new Set(refs.map((r) => `${r.participant}/${r.role}`))].sort();
}

/** Source URLs with what each must resolve to: a stored article, or "bad". */
const URLS: Array<[string, string]> = [
  [SEED.url, SEED.url],
  [`${SEED.url}#comments`, SEED.url],
  [SEED.url.replace("https://toronto.citynews.ca", "HTTPS://Toronto.CityNews.CA"), SEED.url],
  [`  ${SEED.url}\n`, SEED.url],
  [SECOND_URL, SECOND_URL],
  ["https://example.org:443/fuzz/second-article", SECOND_URL],
  ["https://example.org/fuzz/./x/../second-article", SECOND_URL],
  ["https://example.org/fuzz/unknown-article", "bad"],
  ["http://example.org/fuzz/second-article", "bad"],
  ["ftp://example.org/fuzz/second-article", "bad"],
  ["javascript:alert(1)", "bad"],
  ["mailto:editor@example.org", "bad"],
  ["data:text/html,hello", "bad"],
  ["file:///etc/passwd", "bad"],
  ["not a url", "bad"],
  ["", "bad"],
  ["   ", "bad"],
  ["https://", "bad"],
  ["//example.org/fuzz/second-article", "bad"],
  ["https://exa mple.org/", "bad"],
  [`https://example.org/${"x".repeat(2100)}`, "bad"],
  ["https://example.org/\u0000", "bad"],
  ["https://example.org/\ud800", "bad"],
];
const sourceUrls = fc.oneof(
  { weight: 8, arbitrary: fc.array(mostly(fc.constantFrom(...URLS.slice(0, 7)), fc.constantFrom(...URLS.slice(7)), 6), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...URLS.slice(0, 7)), { minLength: 99, maxLength: 102 }) },
);
function modelSources(urls: Array<[string, string]>): string[] | "bad" {
  if (urls.length > 100 || urls.some(([, stored]) => stored === "bad")) return "bad";
  return [...new Set(urls.map(([, stored]) => stored))].sort();
}

// Stand-ins for the event under update and its consequences, made concrete when sent.
const TARGET = "$target";
const DOWNSTREAM = ["$downstream-0", "$downstream-1"];
const causeRef = (forUpdate: boolean) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((i) => ({ ref: `$seed-${i % 9}`, as: "string" as const })) },
    { weight: 1, arbitrary: fc.nat().map((i) => ({ ref: `$seed-${i % 9}`, as: "padded" as const })) },
    { weight: 1, arbitrary: fc.nat().map((i) => ({ ref: `$seed-${i % 9}`, as: "number" as const })) },
    { weight: forUpdate ? 2 : 1, arbitrary: fc.constantFrom(TARGET, ...DOWNSTREAM).map((ref) => ({ ref, as: "string" as const })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<unknown>("2147483647", "2147483000", "0", "-1", "abc", "01", "2147483648", "", " ", "1e3", "٣", "1.5", 0, -7, 2 ** 31, 1.5)
        .map((ref) => ({ ref, as: "raw" as const })),
    },
  );
const causesArb = (forUpdate: boolean) =>
  fc.oneof({ weight: 8, arbitrary: fc.array(causeRef(forUpdate), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(causeRef(false).filter((c) => c.as === "string"), { minLength: 99, maxLength: 102 }) });
type CauseRef = { ref: unknown; as: "string" | "padded" | "number" | "raw" };

/** The id a stand-in stands for. */
const idOf = (ref: unknown): unknown =>
  typeof ref !== "string" ? ref : ref.startsWith("$seed-") ? seedEventIds[Number(ref.slice(6))] : ref === TARGET ? target : DOWNSTREAM.includes(ref) ? downstream[DOWNSTREAM.indexOf(ref)] : ref;
const causeValue = ({ ref, as }: CauseRef) => {
  const id = idOf(ref);
  return as === "padded" ? ` ${id} ` : as === "number" ? Number(id) : id;
};
/**
 * "bad", or the distinct cause ids that must be stored. `self` is the event written (for an
 * update): it cannot cause itself nor be caused by what it caused.
 */
function modelCauses(refs: CauseRef[], self?: string): string[] | "bad" {
  if (refs.length > 100) return "bad";
  const ids: string[] = [];
  for (const ref of refs) {
    const value = causeValue(ref);
    if (typeof value !== "string" && !Number.isInteger(value)) return "bad"; // an ID is a string or an integer
    const text = String(value).trim();
    if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > INT32[1]) return "bad";
    const known = [...seedEventIds, target, ...downstream].includes(text);
    if (!known) return "bad";
    if (self && (text === self || downstream.includes(text))) return "bad";
    ids.push(text);
  }
  return [...new Set(ids)].sort((a, b) => Number(a) - Number(b));
}

const locationRef = mostly(fc.constantFrom(...LOCATIONS), junkSlug, 8);
const dateValue = mostly(dateText, fc.constant(null), 40);
const category = mostly(fc.constantFrom(...CATEGORIES), fc.constantFrom<unknown>("BOMBING", "airstrike", "", 3), 30);
const status = fc.constantFrom<unknown>("OCCURRED", "PLANNED", "OCCURRED", "PLANNED", "DONE");

/** The row counts a write should leave, from the counts before it and the changes per table. */
const plus = (counts: RowCounts, changes: Partial<RowCounts>): RowCounts =>
  Object.fromEntries(Object.entries(counts).map(([table, count]) => [table, count + (changes[table as keyof RowCounts] ?? 0)])) as RowCounts;

/**
 * Runs a write and holds it to the model. `refusal` lists the codes a refusal may carry. A
 * refused write must leave the row counts as they were, and every so often the full
 * fingerprint too; an accepted one is checked by `accepted`, which returns the row changes.
 */
function writer() {
  let counts: RowCounts | undefined;
  let deepCheckDue = true;
  let runs = 0;
  const outcomes = { ok: 0, refused: 0 };
  return {
    outcomes,
    async run(
      mutation: string,
      variables: Record<string, unknown>,
      outcome: Outcome,
      refusal: string[],
      accepted: (data: any, countsBefore: RowCounts) => Promise<Partial<RowCounts>>,
      refused: () => Promise<void> = async () => undefined,
    ) {
      counts ??= await rowCounts(app);
      if (runs++ % 100 === 0) deepCheckDue = true;
      const deep = deepCheckDue && outcome === "bad";
      const before = deep ? await fingerprint(app) : null;
      try {
        const result = await app.write(mutation, sent(variables));
        expectWellFormedErrors(result, refusal);
        if (expectOutcome(result, outcome, refusal)) {
          counts = plus(counts, await accepted(result.data, counts));
          expect(await rowCounts(app)).toEqual(counts);
          outcomes.ok += 1;
        } else {
          expect(await rowCounts(app)).toEqual(counts);
          if (deep) {
            expect(await fingerprint(app)).toEqual(before);
            deepCheckDue = false;
          }
          await refused();
          outcomes.refused += 1;
        }
      } catch (error) {
        counts = undefined; // recounted on the next run, so that shrinking starts from what is stored
        throw error;
      }
    },
  };
}

const expectBoth = (outcomes: { ok: number; refused: number }) => {
  expect(outcomes.ok).toBeGreaterThan(RUNS / 10);
  expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
};

const TIMEOUT = 600_000;

// --- events -------------------------------------------------------------------------------

const EVENT_FIELDS = `id title summary date category status fatalities injured
  location { slug } participants { role participant { slug } } sources { url } causes { id }`;
const TOLL_FIELDS = "low best high qualifier text";
/** Created events are read with their tolls and claims too. */
const CREATED_FIELDS = `${EVENT_FIELDS} deaths { ${TOLL_FIELDS} } injuries { ${TOLL_FIELDS} }
  claims { claimant { slug } statement deaths { ${TOLL_FIELDS} } injuries { ${TOLL_FIELDS} } }`;

/** An event as served, with its lists in a canonical order. */
function canonicalEvent(event: any) {
  return {
    ...event,
    participants: event.participants.map((p: any) => `${p.participant.slug}/${p.role}`).sort(),
    sources: event.sources.map((s: any) => s.url).sort(),
    causes: event.causes.map((c: any) => c.id).sort((a: string, b: string) => Number(a) - Number(b)),
  };
}

async function readEvent(id: string, fields = EVENT_FIELDS) {
  const result = await app.query(`query($id: ID!) { event(id: $id) { ${fields} } }`, { id });
  expect(result.errors).toBeUndefined();
  return canonicalEvent(result.data!.event);
}

/** A digest of an event's row (timestamps included) and of every link to or from it: equal means untouched. */
async function eventDigest(id: string): Promise<string> {
  const links = (table: string, where: string) =>
    `(SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM ${table} t WHERE ${where})`;
  const [row] = await app.db.prisma.$queryRawUnsafe<[{ digest: string }]>(
    `SELECT md5(e::text || ${links("event_participants", "t.event_id = e.id")} || ${links("event_sources", "t.event_id = e.id")}
       || ${links("event_links", "t.effect_id = e.id OR t.cause_id = e.id")}) AS digest
     FROM events e WHERE e.id = $1::int`,
    Number(id),
  );
  return row.digest;
}

let servedEvents = 0;
/**
 * The event a mutation served, in canonical form. Its scalar fields are read in the write's
 * transaction and its relations after the commit; every tenth one is also read back on its own
 * with event(id), which must serve the same.
 */
async function servedAndStored(served: any, fields = EVENT_FIELDS) {
  const event = canonicalEvent(served);
  if (servedEvents++ % 10 === 0) expect(await readEvent(event.id, fields)).toEqual(event);
  return event;
}

describe("createEvent on generated inputs", () => {
  it(`refuses each with BAD_USER_INPUT and writes nothing, or stores it and reads it back as sent (${RUNS} runs)`, async () => {
    const input = fc.record(
      {
        title: text(300),
        summary: optional(text(10_000)),
        date: dateValue,
        category,
        status: optional(status, 2),
        fatalities: optional(toll),
        injured: optional(toll),
        deaths: optional(tollInput, 1),
        injuries: optional(fittingTollInput, 1),
        claims: optional(claimsArb, 2),
        location: optional(locationRef),
        participants: optional(participantRefs()),
        sourceUrls: optional(sourceUrls, 2),
        causes: optional(causesArb(false), 2),
      },
      { requiredKeys: ["title", "date", "category"] },
    )
      // A figure beside a toll nearly always disagrees: keep the pair one time in four, so that
      // enough inputs are taken.
      .chain((shape) =>
        fc.nat(3).map((draw) => ({
          ...shape,
          ...(draw > 0 && shape.deaths != null ? { fatalities: undefined } : {}),
          ...(draw > 0 && shape.injuries != null ? { injured: undefined } : {}),
        })),
      );
    const write = writer();
    // The event's own toll from a plain figure and a toll: both only when they agree.
    const ownToll = (figure: number | null | "bad", toll: ModelToll | null | "bad"): ModelToll | null | "bad" => {
      if (figure === "bad" || toll === "bad") return "bad";
      if (toll && figure !== null && figure !== toll.best) return "bad";
      return toll ?? (figure === null ? null : { low: figure, best: figure, high: figure, qualifier: "EXACT", text: null });
    };
    await fc.assert(
      fc.asyncProperty(input, async (shape) => {
        const title = requiredText(shape.title, 300);
        const summary = optionalText(shape.summary, 10_000);
        const date = modelDate(shape.date);
        const claims = modelClaims(shape.claims ?? []);
        const ownDeaths = ownToll(modelToll(shape.fatalities), modelTollInput(shape.deaths));
        const ownInjuries = ownToll(modelToll(shape.injured), modelTollInput(shape.injuries));
        const [deaths, injuries] =
          claims === "bad" || ownDeaths === "bad" || ownInjuries === "bad"
            ? ["bad" as const, "bad" as const]
            : [ownDeaths ?? tollOfClaims(claims.map((claim) => claim.deaths)), ownInjuries ?? tollOfClaims(claims.map((claim) => claim.injuries))];
        const participants = modelParticipants(shape.participants ?? []);
        const sources = modelSources(shape.sourceUrls ?? []);
        const causes = modelCauses(shape.causes ?? []);
        const location = shape.location == null ? null : LOCATIONS.includes(shape.location) ? shape.location : "bad";
        const valid =
          [title, summary, deaths, injuries, claims, participants, sources, causes, location].every((v) => v !== "bad") &&
          date !== null &&
          CATEGORIES.includes(shape.category as string) &&
          (shape.status == null || shape.status === "OCCURRED" || shape.status === "PLANNED");
        const variables = {
          input: {
            ...shape,
            sourceUrls: shape.sourceUrls?.map(([url]) => url),
            causes: shape.causes?.map(causeValue),
          },
        };
        let outcome = valid ? worst("ok", modelWhen(date!.start, shape.status ?? "OCCURRED")) : "bad";
        if (outcome !== "bad" && (causes as string[]).length) {
          // Its causes may have started after it could have: a contradiction, refused.
          const state = await storedCausalState(app);
          const published = await earliestPublication(app, sources as string[]);
          state.own.set("new", ownWindow({ start: date!.start, end: date!.end, occurred: (shape.status ?? "OCCURRED") === "OCCURRED", published }));
          state.causes.set("new", causes as string[]);
          if (!causallyConsistent(state)) outcome = "bad";
        }
        await write.run(`mutation($input: EventInput!) { createEvent(input: $input) { ${CREATED_FIELDS} } }`, variables, outcome, ["BAD_USER_INPUT"], async (data) => {
          const stored = await servedAndStored(data.createEvent, CREATED_FIELDS);
          expect(stored).toEqual({
            id: data.createEvent.id,
            title,
            summary,
            date: date!.served,
            category: shape.category,
            status: shape.status ?? "OCCURRED",
            fatalities: (deaths as ModelToll | null)?.best ?? null,
            injured: (injuries as ModelToll | null)?.best ?? null,
            deaths,
            injuries,
            claims,
            location: location === null ? null : { slug: location },
            participants,
            sources,
            causes,
          });
          return {
            events: 1,
            event_claims: (claims as ModelClaim[]).length,
            event_participants: (participants as string[]).length,
            event_sources: (sources as string[]).length,
            event_links: (causes as string[]).length,
          };
        });
      }),
      { numRuns: RUNS },
    );
    expectBoth(write.outcomes);
  }, TIMEOUT);
});

describe("updateEvent on generated inputs", () => {
  it(`refuses each with BAD_USER_INPUT (NOT_FOUND for an unknown event) and changes nothing, or applies exactly the fields given (${RUNS} runs)`, async () => {
    const nullable = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 6, arbitrary: value });
    const mixed = fc.record(
      {
        title: nullable(text(300)),
        summary: nullable(text(10_000)),
        date: nullable(dateText),
        category: nullable(category),
        status: nullable(status),
        fatalities: nullable(toll),
        injured: nullable(toll),
        location: nullable(locationRef),
        participants: nullable(participantRefs()),
        sourceUrls: nullable(sourceUrls),
        causes: nullable(causesArb(true)),
      },
      { requiredKeys: [] },
    );
    // Only values that must be accepted (null where it clears), so that updates go through too.
    const clean = fc.record(
      {
        title: textOf(300).filter((value) => requiredText(value, 300) !== "bad"),
        summary: fc.option(textOf(10_000).filter((value) => modelText(value, 10_000) !== "bad")),
        date: validDate.map(({ text }) => text),
        category: fc.constantFrom(...CATEGORIES),
        status: fc.constantFrom("OCCURRED", "PLANNED"),
        fatalities: fc.option(fc.integer({ min: 0, max: MAX_TOLL })),
        injured: fc.option(fc.integer({ min: 0, max: MAX_TOLL })),
        location: fc.option(fc.constantFrom(...LOCATIONS)),
        participants: fc.option(fc.array(fc.record({ participant: fc.constantFrom(...PARTICIPANTS), role: fc.constantFrom(...ROLES) }), { maxLength: 4 })),
        sourceUrls: fc.option(fc.array(fc.constantFrom(...URLS.slice(0, 7)), { maxLength: 3 })),
        causes: fc.option(fc.array(causeRef(false).filter((c) => typeof c.ref === "string" && c.ref.startsWith("$seed-")), { maxLength: 3 })),
      },
      { requiredKeys: [] },
    );
    const input = fc.oneof(clean, mixed);
    const id = fc.oneof(
      { weight: 12, arbitrary: fc.constant(TARGET as unknown) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>("2147483000", "2147483647") },
      { weight: 1, arbitrary: fc.constantFrom<unknown>("abc", "0", "-1", "", "1.5", "99999999999", 1.5) },
    );
    const write = writer();
    let current = await readEvent(target);
    let digest = await eventDigest(target);
    await fc.assert(
      fc.asyncProperty(id, input, async (ref, shape) => {
        try {
          await updateOnce(ref, shape);
        } catch (error) {
          // Shrinking replays from what is stored, not from what the failed run expected.
          current = await readEvent(target);
          digest = await eventDigest(target);
          throw error;
        }
      }),
      { numRuns: RUNS },
    );
    expectBoth(write.outcomes);

    /** "bad" when the event as updated could not start within its window given its causes and consequences. */
    async function causalOutcome(date: DateModel | undefined, status: string | undefined, sources: string[] | undefined, causes: string[] | undefined): Promise<Outcome> {
      const state = await storedCausalState(app);
      const period = date ?? modelDate(current.date)!;
      const published = await earliestPublication(app, sources ?? current.sources);
      state.own.set(target, ownWindow({ start: period.start, end: period.end, occurred: (status ?? current.status) === "OCCURRED", published }));
      if (causes) state.causes.set(target, causes);
      return causallyConsistent(state) ? "ok" : "bad";
    }

    async function updateOnce(ref: unknown, shape: ValueOf<typeof input>) {
      const present = (key: keyof typeof shape) => key in shape && shape[key] !== undefined;
      // Each field given: "bad", or what it sets; fields left out are undefined.
      const title = present("title") ? (shape.title === null ? "bad" : requiredText(shape.title, 300)) : undefined;
      const summary = present("summary") ? optionalText(shape.summary, 10_000) : undefined;
      const date = present("date") ? (shape.date === null ? "bad" : (modelDate(shape.date) ?? "bad")) : undefined;
      const categoryValue = present("category") ? (CATEGORIES.includes(shape.category as string) ? shape.category : "bad") : undefined;
      const statusValue = present("status") ? (shape.status === "OCCURRED" || shape.status === "PLANNED" ? shape.status : "bad") : undefined;
      const fatalities = present("fatalities") ? modelToll(shape.fatalities) : undefined;
      const injured = present("injured") ? modelToll(shape.injured) : undefined;
      const location = present("location") ? (shape.location === null ? null : LOCATIONS.includes(shape.location!) ? shape.location : "bad") : undefined;
      // A list given replaces the stored one; null is left open (unchanged, or cleared).
      const participants = shape.participants ? modelParticipants(shape.participants) : undefined;
      const sources = shape.sourceUrls ? modelSources(shape.sourceUrls) : undefined;
      const causes = shape.causes ? modelCauses(shape.causes, target) : undefined;
      const valid = [title, summary, date, categoryValue, statusValue, fatalities, injured, location, participants, sources, causes].every((v) => v !== "bad");

      const eventId = idOf(ref);
      const known = eventId === target;
      const wellFormedId = typeof eventId === "string" && /^[1-9]\d{0,9}$/.test(eventId) && Number(eventId) <= INT32[1];
      // An unknown event is NOT_FOUND; with invalid input too, either refusal says something true.
      // The date rule holds for the event as the update leaves it: its date and status, given or kept.
      const start = date === undefined ? modelDate(current.date)!.start : (date as DateModel).start;
      const when = valid ? modelWhen(start, statusValue ?? current.status) : "bad";
      const causal = known && valid && when !== "bad" ? await causalOutcome(date as DateModel | undefined, statusValue as string | undefined, sources as string[] | undefined, causes as string[] | undefined) : "ok";
      const [outcome, refusal]: [Outcome, string[]] = known
        ? [worst("ok", when, causal), ["BAD_USER_INPUT"]]
        : wellFormedId
          ? ["bad", valid ? ["NOT_FOUND"] : ["BAD_USER_INPUT", "NOT_FOUND"]]
          : ["bad", ["BAD_USER_INPUT"]];
      const variables = {
        id: eventId,
        input: {
          ...shape,
          sourceUrls: shape.sourceUrls?.map(([url]) => url) ?? shape.sourceUrls,
          causes: shape.causes?.map(causeValue) ?? shape.causes,
        },
      };
      const before = current;
      await write.run(
        `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { ${EVENT_FIELDS} } }`,
        variables,
        outcome,
        refusal,
        async (data) => {
          const stored = await servedAndStored(data.updateEvent);
          const list = (given: string[] | undefined, key: "participants" | "sources" | "causes", value: unknown) =>
            given ?? (value === null && stored[key].length === 0 ? [] : before[key]);
          expect(stored).toEqual({
            id: target,
            title: title ?? before.title,
            summary: summary === undefined ? before.summary : summary,
            date: date === undefined ? before.date : (date as any).served,
            category: categoryValue ?? before.category,
            status: statusValue ?? before.status,
            fatalities: fatalities === undefined ? before.fatalities : fatalities,
            injured: injured === undefined ? before.injured : injured,
            location: location === undefined ? before.location : location === null ? null : { slug: location },
            participants: list(participants as string[] | undefined, "participants", shape.participants),
            sources: list(sources as string[] | undefined, "sources", shape.sourceUrls),
            causes: list(causes as string[] | undefined, "causes", shape.causes),
          });
          current = stored;
          digest = await eventDigest(target);
          return {
            event_participants: stored.participants.length - before.participants.length,
            event_sources: stored.sources.length - before.sources.length,
            event_links: stored.causes.length - before.causes.length,
          };
        },
        async () => expect(await eventDigest(target)).toBe(digest),
      );
    }
  }, TIMEOUT);
});

// --- participants and locations -----------------------------------------------------------------

// Names whose derived slug is known: words (accents, ligatures, apostrophes, scripts with no
// ASCII letter) and the slug each contributes, joined by separators that all become one hyphen.
const WORDS: Array<[string, string]> = [
  ["Jaish", "jaish"], ["al-Adl", "al-adl"], ["Zürich", "zurich"], ["São", "sao"], ["Ñandú", "nandu"], ["Straße", "stra-e"],
  ["ﬁeld", "field"], ["O'Brien", "obrien"], ["O’Neil", "oneil"], ["Army", "army"], ["42nd", "42nd"], ["Île", "ile"],
  ["Çatalhöyük", "catalhoyuk"], ["naïve", "naive"], ["Łódź", "odz"], ["🔥", ""], ["東京", ""], ["IRAN", "iran"],
  ["Pakistan", "pakistan"], ["---", ""], ["A.B.", "a-b"], ["x²", "x2"], ["Ǆemal", "dzemal"], ["①", "1"],
];
const SEPARATORS = [" ", "  ", " - ", "_", ", ", " & ", "/", "\t", " · "];

interface NameCase {
  name: unknown;
  /** The slug derived from the name, when the model knows it ("" when none can be). */
  derived?: string;
}
const derivedName: fc.Arbitrary<NameCase> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 5 }),
    fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 40 }) }),
  )
  .map(([words, tagged, repeat]) => {
    const tag = tagged ? [[[`Fz${uniqueTag()}`, ""], " "] as [[string, string], string]] : [];
    const all = Array.from({ length: repeat }, () => words).flat().concat(tag);
    const name = all.map(([[word], separator], i) => (i ? separator : "") + word).join("");
    const parts = all.map(([[word, slug]]) => (word.startsWith("Fz") ? word.toLowerCase() : slug)).filter(Boolean);
    return { name, derived: parts.join("-").slice(0, 100).replace(/-+$/, "") };
  });
const nameArb: fc.Arbitrary<NameCase> = fc.oneof(
  { weight: 3, arbitrary: derivedName },
  { weight: 1, arbitrary: text(200).map((name) => ({ name })) },
);

const explicitSlug = (known: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).map(() => `fuzz-${uniqueTag()}`) },
    { weight: 2, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom("a", "a".repeat(100), "1-2-3", "x9") },
    { weight: 2, arbitrary: fc.constantFrom("a".repeat(101), "Bad", "a--b", "-a", "a-", "", " a", "a_b", "ü", "a\u0000", "a b", "\ud800") },
  );
const slugArb = (known: string[]) =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(undefined, null) }, { weight: 3, arbitrary: explicitSlug(known) });

/** The slug a write goes to, "bad" when it must be refused, or undefined when the model cannot tell (an arbitrary name). */
function modelSlug(slug: string | null | undefined, name: NameCase): string | "bad" | undefined {
  if (slug != null) return SLUG.test(slug) && slug.length <= 100 ? slug : "bad";
  if (name.derived === undefined) return undefined;
  return name.derived ? name.derived : "bad";
}

const aliasesArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.array(mostly(textOf(200), fc.constantFrom("", "  ")), { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom<string[]>(["Army", "army", "ARMY", " Army "], ["İstanbul", "i̇stanbul"], ["Σίσυφος", "ΣΊΣΥΦΟΣ"], ["NULL", "null", "{a,b}", '"q"', "\\"]) },
  { weight: 1, arbitrary: fc.array(fc.constant(null).map(() => `alias ${uniqueTag()}`), { minLength: 49, maxLength: 52 }) },
);
/** "bad", or the aliases stored: trimmed, each kept once whatever its case, in order. */
function modelAliases(values: readonly unknown[]): string[] | "bad" {
  if (values.length > 50) return "bad";
  const kept: string[] = [];
  for (const value of values) {
    const alias = requiredText(value, 200);
    if (alias === "bad") return "bad";
    if (!kept.some((k) => k.toLowerCase() === alias.toLowerCase())) kept.push(alias);
  }
  return kept;
}

describe("upsertParticipant on generated inputs", () => {
  it(`refuses each with BAD_USER_INPUT and writes nothing, or creates or updates by slug and reads it back as sent (${RUNS} runs)`, async () => {
    const input = fc.record(
      {
        slug: slugArb(PARTICIPANTS),
        name: nameArb,
        kind: mostly(fc.constantFrom(...PARTICIPANT_KINDS), fc.constantFrom<unknown>("PLANET", "person", null), 30),
        aliases: optional(aliasesArb, 2),
        description: optional(text(5000), 2),
        country: optional(mostly(fc.constantFrom("pakistan", "iran"), fc.constantFrom("baluchistan", "islamabad", "atlantis", "", "Pakistan", "\u0000"), 4), 2),
      },
      { requiredKeys: ["name", "kind"] },
    );
    const FIELDS = `slug name kind aliases description country { slug }`;
    const write = writer();
    await fc.assert(
      fc.asyncProperty(input, async (shape) => {
        const name = requiredText(shape.name.name, 200);
        const slug = name === "bad" ? "bad" : modelSlug(shape.slug, shape.name);
        const aliases = shape.aliases == null ? undefined : modelAliases(shape.aliases);
        const description = shape.description == null ? undefined : optionalText(shape.description, 5000);
        // What is stored now at that slug, and what the country names.
        const prior: any = await app.query(`query($slug: String!, $country: String!) { participant(slug: $slug) { ${FIELDS} } location(slug: $country) { kind } }`, {
          slug: typeof slug === "string" && slug !== "bad" ? slug : "-",
          country: typeof shape.country === "string" && !shape.country.includes("\u0000") ? shape.country : "-",
        });
        expect(prior.errors).toBeUndefined();
        const existing = prior.data.participant;
        const country = shape.country == null ? undefined : prior.data.location?.kind === "COUNTRY" ? shape.country : "bad";
        const rest = [name, slug, aliases, description, country].every((v) => v !== "bad") && PARTICIPANT_KINDS.includes(shape.kind as string);
        const outcome: Outcome = !rest ? "bad" : slug === undefined ? "either" : "ok";

        await write.run(
          `mutation($input: ParticipantInput!) { upsertParticipant(input: $input) { ${FIELDS} } }`,
          { input: { ...shape, name: shape.name.name } },
          outcome,
          ["BAD_USER_INPUT"],
          async (data, countsBefore) => {
            const written = data.upsertParticipant;
            const read: any = await app.query(`query($slug: String!) { participant(slug: $slug) { ${FIELDS} } }`, { slug: written.slug });
            expect(read.data.participant).toEqual(written);
            if (slug === undefined) {
              // A name the model cannot slug: a valid slug, the name and kind as sent.
              expect(written.slug).toMatch(SLUG);
              expect(written.slug.length).toBeLessThanOrEqual(100);
              expect({ name: written.name, kind: written.kind }).toEqual({ name, kind: shape.kind });
              // Created, or an update of the participant that already had that slug.
              const created = (await rowCounts(app)).participants - countsBefore.participants;
              expect([0, 1]).toContain(created);
              return { participants: created };
            }
            expect(written).toEqual({
              slug,
              name,
              kind: shape.kind,
              aliases: aliases ?? existing?.aliases ?? [],
              description: description === undefined ? (existing?.description ?? null) : description,
              country: country === undefined ? (existing?.country ?? null) : { slug: country },
            });
            return { participants: existing ? 0 : 1 };
          },
        );
      }),
      { numRuns: RUNS },
    );
    expectBoth(write.outcomes);
  }, TIMEOUT);
});

describe("upsertLocation on generated inputs", () => {
  it(`refuses each with BAD_USER_INPUT and writes nothing, or creates or updates by slug within the hierarchy and reads it back as sent (${RUNS} runs)`, async () => {
    const known = [...LOCATIONS, "fuzz-cycle-a", "fuzz-cycle-b"];
    const SELF = "$self";
    const coordinate = (limit: number) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.double({ min: -limit, max: limit, noNaN: true }) },
        { weight: 2, arbitrary: fc.constantFrom<unknown>(limit, -limit, 0, -0, 5e-324, -2.2250738585072014e-308, 33.6844) },
        { weight: 2, arbitrary: fc.constantFrom<unknown>(limit + 1e-9, -limit - 1, 1e308, -1e308, Number.MAX_VALUE) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>(NaN, Infinity, -Infinity, "12", true) },
      );
    const input = fc.record(
      {
        slug: slugArb(known),
        name: nameArb,
        kind: mostly(fc.constantFrom(...LOCATION_KINDS), fc.constantFrom<unknown>("PLANET", "city", null), 30),
        aliases: optional(aliasesArb, 2),
        parent: optional(mostly(fc.constantFrom(...known, SELF), fc.constantFrom("atlantis", "", "Pakistan", "\u0000"), 8), 3),
        countryCode: optional(fc.constantFrom<unknown>("PK", "pk", " ir ", "Pk", "US", "PAK", "P", "", "12", "P1", "ß", "ﬀ", "\u0000K", 12), 2),
        latitude: optional(coordinate(90), 2),
        longitude: optional(coordinate(180), 2),
      },
      { requiredKeys: ["name", "kind"] },
    );
    const FIELDS = `slug name kind aliases countryCode latitude longitude parent { slug }`;
    const write = writer();
    await fc.assert(
      fc.asyncProperty(input, async (shape) => {
        const name = requiredText(shape.name.name, 200);
        const slug = name === "bad" ? "bad" : modelSlug(shape.slug, shape.name);
        const aliases = shape.aliases == null ? undefined : modelAliases(shape.aliases);
        const kindOk = LOCATION_KINDS.includes(shape.kind as string);
        const kind = shape.kind as string;
        // countryCode: trimmed, upper-cased, two ASCII letters; one that only upper-cases to
        // two letters ("ß" to "SS") is left open.
        let countryCode: string | "bad" | "either" | undefined;
        if (shape.countryCode != null) {
          if (typeof shape.countryCode !== "string") countryCode = "bad";
          else {
            const code = shape.countryCode.trim().toUpperCase();
            countryCode = !/^[A-Z]{2}$/.test(code) ? "bad" : /^[A-Za-z]{2}$/.test(shape.countryCode.trim()) ? code : "either";
          }
        }
        const coordinateOf = (value: unknown, limit: number) =>
          value == null ? undefined : typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > limit ? "bad" : value;
        const [latitude, longitude] = [coordinateOf(shape.latitude, 90), coordinateOf(shape.longitude, 180)];
        const parentSlug = shape.parent === SELF ? (typeof slug === "string" && slug !== "bad" ? slug : "-") : shape.parent;

        // The hierarchy as stored now.
        const rows = await app.db.prisma.$queryRawUnsafe<Array<{ slug: string; kind: string; parent: string | null }>>(
          `SELECT l.slug, l.kind::text AS kind, p.slug AS parent FROM locations l LEFT JOIN locations p ON p.id = l.parent_id`,
        );
        const stored = new Map(rows.map((row) => [row.slug, row]));
        const prior: any = await app.query(`query($slug: String!) { location(slug: $slug) { ${FIELDS} } }`, {
          slug: typeof slug === "string" && slug !== "bad" ? slug : "-",
        });
        expect(prior.errors).toBeUndefined();
        const existing = prior.data.location;

        // The hierarchy's rules: a parent of the same rank or above, never within the place
        // itself; children of the same rank or below. A place left where it is keeps obeying
        // them when its kind changes.
        let hierarchy: Outcome = "ok";
        if (kindOk && typeof slug === "string" && slug !== "bad") {
          if (parentSlug != null) {
            const parent = stored.get(parentSlug);
            let within = parentSlug === slug;
            for (let at = parent?.parent; at && !within; at = stored.get(at)?.parent) within = at === slug;
            if (within || !parent || RANK[parent.kind] > RANK[kind]) hierarchy = "bad";
          } else if (existing?.parent && RANK[stored.get(existing.parent.slug)!.kind] > RANK[kind]) {
            hierarchy = "bad";
          }
          if (rows.some((row) => row.parent === slug && RANK[row.kind] < RANK[kind])) hierarchy = "bad";
        }
        const fields: Array<Outcome | string | number | string[] | undefined> = [name, slug, aliases, countryCode, latitude, longitude];
        const outcome = !kindOk || fields.includes("bad")
          ? "bad"
          : worst(hierarchy, slug === undefined || countryCode === "either" ? "either" : "ok");

        const zero = (value: unknown) => (typeof value === "number" ? value + 0 : value); // -0 and 0 are one coordinate
        await write.run(
          `mutation($input: LocationInput!) { upsertLocation(input: $input) { ${FIELDS} } }`,
          { input: { ...shape, name: shape.name.name, parent: shape.parent === SELF ? parentSlug : shape.parent } },
          outcome,
          ["BAD_USER_INPUT"],
          async (data) => {
            const written = data.upsertLocation;
            const read: any = await app.query(`query($slug: String!) { location(slug: $slug) { ${FIELDS} } }`, { slug: written.slug });
            expect(read.data.location).toEqual(written);
            if (slug === undefined || countryCode === "either") {
              expect(written.slug).toMatch(SLUG);
              expect({ name: written.name, kind: written.kind }).toEqual({ name, kind });
              return { locations: stored.has(written.slug) ? 0 : 1 };
            }
            expect({ ...written, latitude: zero(written.latitude), longitude: zero(written.longitude) }).toEqual({
              slug,
              name,
              kind,
              aliases: aliases ?? existing?.aliases ?? [],
              countryCode: countryCode ?? existing?.countryCode ?? null,
              latitude: zero(latitude ?? existing?.latitude ?? null),
              longitude: zero(longitude ?? existing?.longitude ?? null),
              parent: parentSlug != null ? { slug: parentSlug } : (existing?.parent ?? null),
            });
            return { locations: existing ? 0 : 1 };
          },
        );
      }),
      { numRuns: RUNS },
    );
    expectBoth(write.outcomes);
  }, TIMEOUT);
});
