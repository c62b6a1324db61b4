import fc from "fast-check";
import type { GraphQLResult, TestApp } from "./test-app";

// Shared by the fuzzing properties (tests/fuzz-*.test.ts): a model of PartialDate, generators of
// dates and texts good and bad, and the checks every response must pass whatever was sent.

/** Cases per property. */
export const RUNS = 1000;

// A failure prints its seed; FUZZ_SEED=<seed> npm test -- tests/fuzz-... replays the same cases.
if (process.env.FUZZ_SEED) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });

/** What a model says a request must do: succeed, be refused, or either (the contract leaves it open). */
export type Outcome = "ok" | "bad" | "either";

/** The worse of two outcomes: any "bad" refuses the request; "either" unless everything is "ok". */
export const worst = (...outcomes: Outcome[]): Outcome =>
  outcomes.includes("bad") ? "bad" : outcomes.includes("either") ? "either" : "ok";

/** Mostly `good`, now and then `bad`. */
export const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, ratio = 9) =>
  fc.oneof({ weight: ratio, arbitrary: good }, { weight: 1, arbitrary: bad });

// --- responses ----------------------------------------------------------------------------

/**
 * Variables as a client sends them in JSON: a variable left undefined is absent (graphql-js
 * would coerce a present-but-undefined variable to null, which no JSON client can send).
 */
export const sent = (variables: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined));

/** The `extensions.code` of each error. */
export const codesOf = (result: GraphQLResult<unknown>) => (result.errors ?? []).map((error) => error.extensions?.code);

/**
 * What holds for any response: every error carries one of the `allowed` codes (never
 * INTERNAL_SERVER_ERROR), and a field that failed has no data: an error with a path leaves its
 * top-level field null, one without a path (validation, variables) leaves no data at all.
 */
export function expectWellFormedErrors(result: GraphQLResult<any>, allowed: readonly string[]): void {
  if (!result.errors?.length) {
    expect(result.data).toBeTruthy();
    return;
  }
  for (const error of result.errors) {
    if (!allowed.includes(String(error.extensions?.code))) {
      throw new Error(`unexpected error code ${String(error.extensions?.code)}: ${JSON.stringify(error)}`);
    }
    if (error.path?.length) expect(result.data?.[error.path[0]] ?? null).toBeNull();
    else expect(result.data ?? null).toBeNull();
  }
}

/** Holds a response to what the model said: success with no error, or a refusal with one of the codes. */
export function expectOutcome(result: GraphQLResult<any>, outcome: Outcome, refusal: readonly string[] = ["BAD_USER_INPUT"]): boolean {
  const refused = Boolean(result.errors?.length);
  if (outcome === "ok" && refused) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  if (outcome === "bad" && !refused) throw new Error(`expected a refusal (${refusal.join(" or ")}), got ${JSON.stringify(result.data)}`);
  if (refused) {
    const unexpected = codesOf(result).filter((code) => !refusal.includes(String(code)));
    if (unexpected.length) throw new Error(`expected ${refusal.join(" or ")}, got ${JSON.stringify(result.errors)}`);
  }
  return !refused;
}

// --- PartialDate --------------------------------------------------------------------------

export type Precision = "YEAR" | "MONTH" | "DAY" | "TIME";

/** A PartialDate as the contract describes it: the period [start, end) in epoch ms, and how it is served. */
export interface DateModel {
  precision: Precision;
  start: number;
  end: number;
  served: string;
}

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2})))?)?)?$/;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
export const daysIn = (year: number, month: number) => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

/** Epoch ms of a UTC wall time; month and day may overflow. Right for years below 100 too. */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

const YEAR_1 = utcMs(1, 1, 1);
const YEAR_10000 = utcMs(10000, 1, 1);

/**
 * What a PartialDate text stands for, or null when the contract refuses it: YYYY, YYYY-MM,
 * YYYY-MM-DD or an ISO-8601 date-time with an offset (hours to 14, minutes to 59), in years 1 to
 * 9999, on the calendar; surrounding whitespace is ignored.
 */
export function modelDate(input: unknown): DateModel | null {
  if (typeof input !== "string") return null;
  const match = DATE.exec(input.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
  const text = (precision: Precision, start: number, end: number): DateModel => ({
    precision,
    start,
    end,
    served: precision === "TIME" ? new Date(start).toISOString() : input.trim(),
  });
  if (year! < 1) return null;
  if (month === undefined) return text("YEAR", utcMs(year!, 1, 1), utcMs(year! + 1, 1, 1));
  if (month < 1 || month > 12) return null;
  if (day === undefined) return text("MONTH", utcMs(year!, month, 1), utcMs(year!, month + 1, 1));
  if (day < 1 || day > daysIn(year!, month)) return null;
  if (hour === undefined) return text("DAY", utcMs(year!, month, day), utcMs(year!, month, day + 1));
  if (hour > 23 || minute! > 59 || (second ?? 0) > 59) return null;
  let offset = 0;
  if (match[8] !== "Z") {
    const [hours, minutes] = [Number(match[10]), Number(match[11])];
    if (minutes > 59) return null;
    offset = (match[9] === "-" ? -1 : 1) * (hours * 60 + minutes);
    if (Math.abs(offset) > 14 * 60) return null;
  }
  const millis = match[7] ? Number(match[7].slice(0, 3).padEnd(3, "0")) : 0;
  const start = utcMs(year!, month, day, hour, minute!, second ?? 0, millis) - offset * 60_000;
  if (start < YEAR_1 || start >= YEAR_10000) return null;
  return text("TIME", start, start + 1);
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

const dateYear = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 2023, max: 2025 }) },
  { weight: 3, arbitrary: fc.constantFrom(1, 2, 50, 99, 100, 1000, 1900, 1920, 1950, 1970, 2000, 2100, 9998, 9999) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 9999 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const dateMonth = mostly(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 13, 99));
const dateDay = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 28 }) },
  { weight: 3, arbitrary: fc.constantFrom(29, 30, 31) },
  { weight: 1, arbitrary: fc.constantFrom(0, 32, 99) },
);
const clock = (max: number) => mostly(fc.integer({ min: 0, max }), fc.constantFrom(max + 1, 99));
const fraction = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 9 }).chain((digits) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: digits, maxLength: digits })).map((d) => `.${d}`) },
  { weight: 1, arbitrary: fc.constant(".1234567890") },
);
const offset = fc.oneof(
  { weight: 4, arbitrary: fc.constant("Z") },
  { weight: 4, arbitrary: fc.constantFrom("+00:00", "-00:00", "+05:30", "-03:00", "+14:00", "-14:00", "+01:00", "-12:00") },
  { weight: 1, arbitrary: fc.constantFrom("+14:01", "-14:30", "+15:00", "+00:99", "+05", "+0530", "", "z", " Z") },
);
const whitespace = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u3000", "\ufeff"), maxLength: 2 });

/** PartialDate texts: every precision, impossible dates, offsets, padding, junk, and now and then a non-string. */
export const dateText: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: dateYear.map((y) => pad(y, 4)) },
  { weight: 3, arbitrary: fc.tuple(dateYear, dateMonth).map(([y, m]) => `${pad(y, 4)}-${pad(m)}`) },
  { weight: 4, arbitrary: fc.tuple(dateYear, dateMonth, dateDay).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(dateYear, dateMonth, dateDay, clock(23), clock(59), fc.option(clock(59), { nil: undefined }), fraction, offset)
      .map(([y, m, d, h, min, s, frac, off]) =>
        `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(min)}${s === undefined ? "" : `:${pad(s)}${frac}`}${off}`,
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom("2024-02-29", "2023-02-29", "2024-02-30", "1900-02-29", "2000-02-29", "2024-04-31") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "", " ", "2024-1-5", "24-01-01", "2024/01/17", "20240117", "2024-01-17 10:00:00Z", "2024-01-17T10:00:00",
      "2024-W03", "2024-017", "+002024", "-0001", "２０２４", "١٩٩٠", "2024-01-17t10:00:00z", "2024-01-17T10:00:00,5Z",
      "10000", "2024-00", "2024-01-00", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "9999-12-31T23:59:59.999Z",
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789-T:Z+. "), maxLength: 25 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(2024, 20240117, true, ["2024"], { year: 2024 }) },
).chain((text) =>
  typeof text === "string" ? fc.oneof({ weight: 6, arbitrary: fc.constant(text) }, { weight: 1, arbitrary: fc.tuple(whitespace, whitespace).map(([a, b]) => a + text + b) }) : fc.constant(text),
);

/**
 * The write rule on dates (src/events/event-dates.ts): an OCCURRED event starts at most a day
 * after it is written, a PLANNED one within 100 years. Within a minute of either edge the test's
 * clock and the server's may disagree: either outcome is right there.
 */
export function modelWhen(start: number, status: unknown, now = Date.now()): Outcome {
  const edge =
    status === "PLANNED"
      ? (() => {
          const horizon = new Date(now);
          horizon.setUTCFullYear(horizon.getUTCFullYear() + 100);
          return horizon.getTime();
        })()
      : now + 86_400_000;
  if (Math.abs(start - edge) < 60_000) return "either";
  return start > edge ? "bad" : "ok";
}

/** Only dates the contract accepts, with their model. */
export const validDate: fc.Arbitrary<{ text: string; model: DateModel }> = dateText
  .map((text) => ({ text: text as string, model: modelDate(text)! }))
  .filter(({ model }) => model !== null);

// --- text -----------------------------------------------------------------------------------

// The rules a write's text is held to (README, Writes): trimmed, not blank when required, no
// control characters other than tab and line breaks, no NUL, well-formed UTF-16, at most `max`
// UTF-16 code units (what String.length counts) once trimmed.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A UTF-16 surrogate without its other half. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What a write must store for a text, or "bad" when it must be refused; null is "nothing" (blank or absent). */
export function modelText(value: string, max: number): string | null | "bad" {
  const text = value.trim();
  if (!text) return null;
  if (CONTROL.test(text) || LONE_SURROGATE.test(text) || text.length > max) return "bad";
  return text;
}

const UNICODE_SAMPLES = [
  "Strike 💥 near the border",
  "👩‍👩‍👧 family killed in shelling",
  "Über-Gipfel in Zürich",
  "انفجار في كويتا",
  "קריית שמונה",
  "東京で抗議",
  "e\u0301 combining",
  "Line one\nline two\r\nthree\ttabbed",
  "C1\u0085control and \u2028 separators \u2029",
  "zero\u200bwidth\u200djoiner\ufeffbom",
  "non\uffffcharacter \ufffe \u{10ffff}",
  "'quotes' \"double\" \\back\\slash {braces} [a,b] NULL",
  "NULL",
  "null",
  "<script>alert(1)</script>",
  "%_\\%",
];
const BAD_FRAGMENTS = ["\u0000", "\u0001", "\u0007", "\u001b[0m", "\u007f", "\u000b", "\u000c", "\ud800", "\udfff", "\ud83d"];

/**
 * Texts for a field of at most `max` characters: unicode of every kind, whitespace around,
 * control characters, NUL and lone surrogates within, blanks, and lengths around the limit.
 */
export function textOf(max: number): fc.Arbitrary<string> {
  const plain = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }) },
    { weight: 3, arbitrary: fc.constantFrom(...UNICODE_SAMPLES) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "x".repeat(max - 1),
        "x".repeat(max),
        "x".repeat(max + 1),
        "😀".repeat(max / 2),
        `${"😀".repeat(max / 2)}x`,
        `${"é".repeat(max)}`,
      ),
    },
  );
  const spoiled = fc
    .tuple(plain, fc.constantFrom(...BAD_FRAGMENTS), fc.nat())
    .map(([text, fragment, at]) => {
      const i = at % (text.length + 1);
      return `${text.slice(0, i)}${fragment}${text.slice(i)}`;
    });
  const blank = fc.constantFrom("", " ", "\t\n", "\u00a0\u3000");
  const padding = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u2003", "\ufeff", "\u2028", "\u000b"), maxLength: 3 });
  return fc
    .oneof({ weight: 12, arbitrary: plain }, { weight: 2, arbitrary: spoiled }, { weight: 1, arbitrary: blank })
    .chain((text) => fc.tuple(padding, padding).map(([before, after]) => before + text + after));
}

// --- tables -------------------------------------------------------------------------------

export const COUNTED_TABLES = ["events", "participants", "locations", "sources", "event_participants", "event_sources", "event_links", "event_claims"] as const;
export type RowCounts = Record<(typeof COUNTED_TABLES)[number], number>;

/** The row count of every table, in one statement: a cheap check that a refused write wrote nothing. */
export async function rowCounts(app: TestApp): Promise<RowCounts> {
  const [row] = await app.db.prisma.$queryRawUnsafe<[RowCounts]>(
    `SELECT ${COUNTED_TABLES.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(", ")}`,
  );
  return row;
}
