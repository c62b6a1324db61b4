import fc from "fast-check";
import { causallyConsistent, ownWindow, storedCausalState } from "./support/causal-model";
import { fingerprint } from "./support/fingerprint";
import { modelDate, modelWhen, worst, type Outcome } from "./support/fuzz"; // also: FUZZ_SEED replays a failure
import { uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// Generated articles, good and bad mixed, through ingestArticle. A small model of the rules
// (ArticleInput's descriptions, src/common/validate.ts) says which must be refused; the rest
// must be stored and read back as sent. Never INTERNAL_SERVER_ERROR, never a partial write.
// On failure fast-check prints the seed and the shrunk article to replay it.

const RUNS = 100;

const INGEST = `mutation($input: ArticleInput!) { ingestArticle(input: $input) { created updated source { url } events { id } } }`;
const EVENT_FIELDS = `id title summary date category status fatalities injured
  location { slug } participants { role participant { slug } } causes { id }`;

// Stand-ins the generator uses, made concrete for each run.
const OWN_PLACE = "$own-place";
const OWN_ACTOR = "$own-actor";
const SEED_EVENT = "$seed-event";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const MAX_TITLE = 300;
const MAX_TOLL = 10_000_000;
const ROLES = ["ACTOR", "TARGET", "VICTIM", "PARTICIPANT", "HOST", "MEDIATOR"] as const;
const CATEGORIES = ["AIRSTRIKE", "ARMED_CLASH", "ATTACK", "EXPLOSION", "PROTEST", "RIOT", "DIPLOMACY", "STATEMENT", "LEGAL", "POLITICAL", "HUMANITARIAN", "OTHER"];

/** The API's rules for a text: trimmed, not blank, no control characters, at most `max` long. */
const validText = (value: string, max: number) => {
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= max && !CONTROL.test(trimmed);
};
const validToll = (value: number | null | undefined) => value == null || (Number.isInteger(value) && value >= 0 && value <= MAX_TOLL);

interface EventShape {
  key: string;
  title: string;
  summary?: string | null;
  date: { text: string; valid: boolean; served: string };
  category: string;
  status?: "OCCURRED" | "PLANNED" | null;
  fatalities?: number | null;
  injured?: number | null;
  location?: string;
  participants: Array<{ participant: string; role: string }>;
  causes: string[];
}
interface ArticleShape {
  url: string;
  events: EventShape[];
}

// --- generators ---------------------------------------------------------------------------
// Each field has good values and bad ones; a "clean" article draws only good values, a "mixed"
// one mostly good with bad ones now and then, so that both outcomes come up often.

/** Mostly `good`, now and then `bad`. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: bad });

const padding = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u3000", "\u2003"), maxLength: 3 });
const padded = (body: fc.Arbitrary<string>) => fc.tuple(padding, body, padding).map(([before, text, after]) => before + text + after);
const goodText = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).filter((value) => validText(value, MAX_TITLE)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "Strike 💥 near the border",
      "Über-Gipfel in Zürich",
      "انفجار في كويتا",
      "👩‍👩‍👧 family killed in shelling",
      "Line one\nline two",
      "x".repeat(MAX_TITLE),
    ),
  },
);
const badText = fc.constantFrom("", "x".repeat(MAX_TITLE + 1), "bell\u0007", "nul\u0000byte", "esc\u001b[0m", "del\u007f");
const text = { good: padded(goodText), any: padded(mostly(goodText, badText)) };

const goodToll = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: 0, max: 500 }), fc.constant(MAX_TOLL));
const badToll = fc.oneof(
  fc.integer({ min: -2_147_483_648, max: -1 }),
  fc.integer({ min: MAX_TOLL + 1, max: 2_147_483_647 }),
  fc.constantFrom(2_147_483_648, 1.5),
);
const toll = { good: goodToll, any: mostly(goodToll, badToll) };

const daysIn = (year: number, month: number) =>
  [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
const pad = (value: number, width = 2) => String(value).padStart(width, "0");
// Mostly years that have passed, so that clean articles of OCCURRED events store; some ahead,
// which only PLANNED events within the horizon may take (modelWhen).
const year = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 2025 }) },
  { weight: 2, arbitrary: fc.integer({ min: 2026, max: 9999 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const month = fc.integer({ min: 0, max: 13 });
const OFFSETS: Record<string, number> = { Z: 0, "+05:30": 330, "-03:00": -180, "+14:00": 840, "+14:30": 870 };

const anyDate = fc.oneof(
  year.map((y) => ({ text: pad(y, 4), valid: y >= 1, served: pad(y, 4) })),
  fc.tuple(year, month).map(([y, m]) => ({ text: `${pad(y, 4)}-${pad(m)}`, valid: y >= 1 && m >= 1 && m <= 12, served: `${pad(y, 4)}-${pad(m)}` })),
  fc.tuple(year, month, fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => {
    const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
    return { text, valid: y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m), served: text };
  }),
  fc.constantFrom("2024-02-29", "2023-02-29", "2024-02-30", "1900-02-29", "2000-02-29").map((text) => {
    const [y, m, d] = text.split("-").map(Number);
    return { text, valid: d <= daysIn(y, m), served: text };
  }),
  fc
    .tuple(
      fc.integer({ min: 1970, max: 2100 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 59 }),
      fc.constantFrom(...Object.keys(OFFSETS)),
    )
    .map(([y, m, d, h, min, offset]) => ({
      text: `${y}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(min)}:00${offset}`,
      valid: h <= 23 && Math.abs(OFFSETS[offset]) <= 14 * 60,
      served: new Date(Date.UTC(y, m - 1, d, h, min) - OFFSETS[offset] * 60_000).toISOString(),
    })),
);
const date = { good: anyDate.filter((d) => d.valid), any: anyDate };

const KNOWN_PARTICIPANTS = ["pakistan", "iran", "jaish-al-adl", OWN_ACTOR];
const participantRef = { good: fc.constantFrom(...KNOWN_PARTICIPANTS), any: mostly(fc.constantFrom(...KNOWN_PARTICIPANTS), fc.constantFrom("ghost-participant", "Pakistan")) };
const KNOWN_LOCATIONS = ["baluchistan", "iran", "pakistan-foreign-ministry", OWN_PLACE];
const goodLocation = fc.option(fc.constantFrom(...KNOWN_LOCATIONS), { nil: undefined });
const locationRef = { good: goodLocation, any: mostly(goodLocation, fc.constantFrom("atlantis", "Iran")) };

type Quality = "good" | "any";

/** An event; its key and causes are the article's business (see `article`). */
function eventOf(quality: Quality) {
  return fc.record(
    {
      title: text[quality],
      summary: fc.option(text[quality], { nil: undefined }),
      date: date[quality],
      category: fc.constantFrom(...CATEGORIES),
      status: fc.constantFrom(undefined, null, "OCCURRED" as const, "PLANNED" as const),
      fatalities: toll[quality],
      injured: toll[quality],
      location: locationRef[quality],
      participants: fc.array(fc.record({ participant: participantRef[quality], role: fc.constantFrom(...ROLES) }), { maxLength: 3 }),
    },
    { requiredKeys: ["title", "date", "category", "participants"] },
  );
}

/** Keys k1..kn, each event caused only by earlier ones or by a stored event: acceptable by construction. */
const cleanArticle: fc.Arbitrary<ArticleShape> = fc
  .array(fc.tuple(eventOf("good"), fc.array(fc.oneof(fc.nat(), fc.constant(SEED_EVENT)), { maxLength: 2 })), { maxLength: 3 })
  .map((drawn) => ({
    url: "https://example.org/prop/",
    events: drawn.map(([event, causes], index) => ({
      ...event,
      key: `k${index + 1}`,
      causes: causes.flatMap((cause) => (cause === SEED_EVENT ? [cause] : index ? [`k${(cause % index) + 1}`] : [])),
    })),
  }));

/** Keys from a small pool (duplicates, blanks, near-misses), causes to keys that may not exist or loop. */
const mixedArticle: fc.Arbitrary<ArticleShape> = fc.record({
  url: mostly(fc.constant("https://example.org/prop/"), fc.constantFrom("ftp://example.org/", "javascript:void//")),
  events: fc.array(
    fc
      .tuple(
        eventOf("any"),
        mostly(fc.constantFrom("k1", "k2", "k3", "k4", "k5", "k6"), fc.constantFrom("", "  ", " k1", "k\u0000")),
        fc.array(mostly(fc.constantFrom("k1", "k2", "k3", "k4", SEED_EVENT), fc.constantFrom("nope", "2147483000", "0")), { maxLength: 2 }),
      )
      .map(([event, key, causes]) => ({ ...event, key, causes })),
    { maxLength: 3 },
  ),
});

const article = fc.oneof(cleanArticle, mixedArticle);

// --- the model ----------------------------------------------------------------------------

const PUBLISHED_AT = "2024-05-01T00:00:00Z";

/**
 * Whether the article must be stored ("ok") or refused ("bad"), by the rules the API states;
 * "either" for a date at the edge of what the date rule allows (modelWhen).
 */
async function verdict(shape: ArticleShape): Promise<Outcome> {
  if (!acceptable(shape)) return "bad";
  const when = worst("ok", ...shape.events.map((e) => modelWhen(modelDate(e.date.text)!.start, e.status ?? "OCCURRED")));
  if (when === "bad" || !shape.events.some((e) => e.causes.length)) return when;
  return worst(when, (await causallyPossible(shape)) ? "ok" : "bad");
}

/** Whether the article's causal links can hold with its dates and with the stored events it cites. */
async function causallyPossible(shape: ArticleShape): Promise<boolean> {
  const state = await storedCausalState(app);
  const idOf = (key: string) => (key === SEED_EVENT ? seedEventId : `article:${key.trim()}`);
  for (const e of shape.events) {
    const date = modelDate(e.date.text)!;
    state.own.set(idOf(e.key), ownWindow({ start: date.start, end: date.end, occurred: (e.status ?? "OCCURRED") === "OCCURRED", published: Date.parse(PUBLISHED_AT) }));
    state.causes.set(idOf(e.key), e.causes.map(idOf));
  }
  return causallyConsistent(state);
}

/** Whether the article must be refused by the rules other than the date rule. */
function acceptable(shape: ArticleShape): boolean {
  if (!shape.url.startsWith("https:")) return false;
  const keys = shape.events.map((e) => e.key);
  if (!keys.every((k) => validText(k, 200))) return false;
  if (new Set(keys.map((k) => k.trim())).size !== keys.length) return false;
  for (const e of shape.events) {
    if (!validText(e.title, MAX_TITLE) || (e.summary != null && e.summary.trim() !== "" && !validText(e.summary, 10_000))) return false;
    if (!e.date.valid || !validToll(e.fatalities) || !validToll(e.injured)) return false;
    if (e.location !== undefined && !KNOWN_LOCATIONS.includes(e.location)) return false;
    if (!e.participants.every((p) => KNOWN_PARTICIPANTS.includes(p.participant))) return false;
    if (!e.causes.every((c) => c === SEED_EVENT || keys.includes(c))) return false;
  }
  return !hasCycle(shape.events);
}

/** Whether the causes among the article's own events loop (an event causing itself included). */
function hasCycle(events: readonly EventShape[]): boolean {
  const causesOf = new Map(events.map((e) => [e.key, e.causes.filter((c) => c !== SEED_EVENT)]));
  const state = new Map<string, "visiting" | "done">();
  const visit = (k: string): boolean => {
    if (state.get(k) === "done") return false;
    if (state.get(k) === "visiting") return true;
    state.set(k, "visiting");
    const loops = (causesOf.get(k) ?? []).some(visit);
    state.set(k, "done");
    return loops;
  };
  return events.some((e) => visit(e.key));
}

// --- running it ---------------------------------------------------------------------------

let app: TestApp;
let seedEventId: string;

beforeAll(async () => {
  app = await startTestApp();
  const { data } = await app.query(`{ timeline(first: 1) { edges { node { id } } } }`);
  seedEventId = data!.timeline.edges[0].node.id;
});
afterAll(() => app.close());

/** The shape as ArticleInput variables, with this run's own url, place and participant. */
function materialise(shape: ArticleShape, tag: string) {
  const concrete = (ref: string | undefined) =>
    ref === OWN_PLACE ? `place-${tag}` : ref === OWN_ACTOR ? `actor-${tag}` : ref === SEED_EVENT ? seedEventId : ref;
  return {
    url: `${shape.url}${tag}`,
    title: `Generated ${tag}`,
    publishedAt: PUBLISHED_AT,
    locations: [{ slug: `place-${tag}`, name: `Place ${tag}`, kind: "CITY", parent: "baluchistan" }],
    participants: [{ slug: `actor-${tag}`, name: `Actor ${tag}`, kind: "PERSON", country: "pakistan" }],
    events: shape.events.map(({ date: { text }, location, participants, causes, ...rest }) => ({
      ...rest,
      date: text,
      ...(location === undefined ? {} : { location: concrete(location) }),
      participants: participants.map((p) => ({ ...p, participant: concrete(p.participant)! })),
      causes: causes.map((cause) => concrete(cause)!),
    })),
  };
}

/** What event(id) must serve for an event stored from `e`; `ids` maps the article's keys to event ids. */
function expectedEvent(e: EventShape, tag: string, ids: Map<string, string>) {
  const slug = (ref: string) => (ref === OWN_PLACE ? `place-${tag}` : ref === OWN_ACTOR ? `actor-${tag}` : ref);
  const pairs = new Map(e.participants.map((p) => [`${p.participant}/${p.role}`, { role: p.role, participant: { slug: slug(p.participant) } }]));
  const sortBy = <T>(values: T[], by: (value: T) => string) => [...values].sort((a, b) => by(a).localeCompare(by(b)));
  return {
    // Keys are stored trimmed.
    id: ids.get(e.key.trim()),
    title: e.title.trim(),
    summary: e.summary?.trim() || null,
    date: e.date.served,
    category: e.category,
    status: e.status ?? "OCCURRED",
    fatalities: e.fatalities ?? null,
    injured: e.injured ?? null,
    location: e.location === undefined ? null : { slug: slug(e.location) },
    participants: sortBy([...pairs.values()], (p) => `${p.participant.slug}/${p.role}`),
    causes: sortBy([...new Set(e.causes.map((c) => (c === SEED_EVENT ? seedEventId : ids.get(c.trim())!)))].map((id) => ({ id })), (c) => c.id),
  };
}

async function readBack(ids: string[]) {
  if (!ids.length) return [];
  const query = `query(${ids.map((_, i) => `$e${i}: ID!`).join(", ")}) { ${ids.map((_, i) => `e${i}: event(id: $e${i}) { ${EVENT_FIELDS} }`).join("\n")} }`;
  const result = await app.query(query, Object.fromEntries(ids.map((id, i) => [`e${i}`, id])));
  expect(result.errors).toBeUndefined();
  return ids.map((_, i) => {
    const served = result.data![`e${i}`];
    return {
      ...served,
      participants: [...served.participants].sort((a: any, b: any) => `${a.participant.slug}/${a.role}`.localeCompare(`${b.participant.slug}/${b.role}`)),
      causes: [...served.causes].sort((a: any, b: any) => a.id.localeCompare(b.id)),
    };
  });
}

describe("ingestArticle on generated articles", () => {
  it(`refuses each with BAD_USER_INPUT and writes nothing, or stores it and reads it back as sent (${RUNS} runs)`, async () => {
    const outcomes = { stored: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(article, async (shape) => {
        const tag = uniqueTag();
        const expected = await verdict(shape);
        const before = expected === "ok" ? null : await fingerprint(app);
        const result = await app.write(INGEST, { input: materialise(shape, tag) });

        if (expected === "bad" || (expected === "either" && result.errors)) {
          // Variable coercion reports every bad value at once; the resolver stops at the first.
          expect(result.errors?.length).toBeGreaterThan(0);
          expect(new Set(result.errors!.map((error) => error.extensions?.code))).toEqual(new Set(["BAD_USER_INPUT"]));
          expect(result.data ?? null).toBeNull();
          expect(await fingerprint(app)).toEqual(before);
          outcomes.refused += 1;
          return;
        }
        expect(result.errors).toBeUndefined();
        expect(result.data!.ingestArticle).toMatchObject({ created: shape.events.length, updated: 0 });

        const links = await app.db.prisma.eventSource.findMany({
          where: { source: { url: result.data!.ingestArticle.source.url } },
          select: { key: true, eventId: true },
        });
        expect(links).toHaveLength(shape.events.length);
        const ids = new Map(links.map((link) => [link.key!, String(link.eventId)]));
        expect([...ids.values()].sort()).toEqual(result.data!.ingestArticle.events.map((e: { id: string }) => e.id).sort());
        expect(await readBack(shape.events.map((e) => ids.get(e.key.trim())!))).toEqual(shape.events.map((e) => expectedEvent(e, tag, ids)));
        outcomes.stored += 1;
      }),
      { numRuns: RUNS },
    );
    // Both branches must have been exercised, or the property says little.
    expect(outcomes.stored).toBeGreaterThan(RUNS / 10);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
  }, 600_000);
});
