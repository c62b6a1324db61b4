import * as chrono from "chrono-node";
import type { Span } from "./text";

/** A date as the drafter hands it on: the contract's PartialDate strings. */
export interface DraftDate {
  date: string;
  notBefore?: string;
  notAfter?: string;
}

/** A date expression found in a sentence, not yet tied to an event. */
export interface DateMention extends Span {
  text: string;
  /** Resolves it for an event of that tense; `anchor` is the date of the event it answered, if any. */
  resolve(planned: boolean, anchor?: Date): DraftDate | undefined;
}

const DAY_MS = 86_400_000;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const month = (date: Date) => date.toISOString().slice(0, 7);
const utcDay = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
/** Monday of the ISO week holding `date`. */
const mondayOf = (date: Date) => addDays(utcDay(date), -((date.getUTCDay() + 6) % 7));

/** The period a start and an end (both days) share: a day, else a month, else a year, with the bounds. */
function periodOf(first: Date, last: Date): DraftDate {
  if (iso(first) === iso(last)) return { date: iso(first) };
  const bounds = { notBefore: iso(first), notAfter: iso(last) };
  if (month(first) === month(last)) return { date: month(first), ...bounds };
  if (first.getUTCFullYear() === last.getUTCFullYear()) return { date: String(first.getUTCFullYear()), ...bounds };
  return { date: String(last.getUTCFullYear()), ...bounds };
}

/**
 * Relative periods that chrono reads as a single day ("last week" as a Monday): read here as the
 * period they name, bounded by the publication day where the tense says it lies before it.
 */
const PERIODS: Array<{ pattern: RegExp; period(published: Date): [Date, Date] }> = [
  { pattern: /\b(?:earlier|late|later) this week\b|\bthis week\b/i, period: (p) => [mondayOf(p), utcDay(p)] },
  { pattern: /\blast week\b|\bthe previous week\b|\ba week ago\b/i, period: (p) => [addDays(mondayOf(p), -7), addDays(mondayOf(p), -1)] },
  { pattern: /\b(?:earlier )?this month\b/i, period: (p) => [new Date(Date.UTC(p.getUTCFullYear(), p.getUTCMonth(), 1)), utcDay(p)] },
  {
    pattern: /\blast month\b/i,
    period: (p) => [new Date(Date.UTC(p.getUTCFullYear(), p.getUTCMonth() - 1, 1)), new Date(Date.UTC(p.getUTCFullYear(), p.getUTCMonth(), 0))],
  },
  { pattern: /\b(?:earlier )?this year\b/i, period: (p) => [new Date(Date.UTC(p.getUTCFullYear(), 0, 1)), utcDay(p)] },
  { pattern: /\blast year\b/i, period: (p) => [new Date(Date.UTC(p.getUTCFullYear() - 1, 0, 1)), new Date(Date.UTC(p.getUTCFullYear() - 1, 11, 31))] },
  { pattern: /\bnext week\b/i, period: (p) => [addDays(mondayOf(p), 7), addDays(mondayOf(p), 13)] },
  {
    pattern: /\bnext month\b/i,
    period: (p) => [new Date(Date.UTC(p.getUTCFullYear(), p.getUTCMonth() + 1, 1)), new Date(Date.UTC(p.getUTCFullYear(), p.getUTCMonth() + 2, 0))],
  },
];

/** Years beyond these are not dates a news report gives for its events ("in 3024" is a typo or a number). */
const EARLIEST_YEAR = 1800;
/** How far past the publication a day without a year must lie before it is read as last year's (and before, as next year's). */
const YEAR_TURN_DAYS = 90;
const LATEST_YEARS_AHEAD = 50;

/**
 * The date expressions of one sentence, read with chrono against the publication instant and the
 * wire's conventions: a bare weekday is the most recent one on or before the publication day for
 * what happened and the next one on or after it for what is planned; a weekday "in the week" of an
 * earlier event is the first such day after it; a day without a year that would fall after the
 * publication for a past event is last year's.
 */
export function datesIn(text: string, offset: number, published: Date): DateMention[] {
  const found: DateMention[] = [];
  const publishedDay = utcDay(published);
  for (const { pattern, period } of PERIODS) {
    const match = text.match(pattern);
    if (!match || match.index === undefined) continue;
    const [first, last] = period(publishedDay);
    found.push({
      start: offset + match.index,
      end: offset + match.index + match[0].length,
      text: match[0],
      resolve: () => periodOf(first, last),
    });
  }
  let results: chrono.ParsedResult[];
  try {
    results = chrono.parse(text, { instant: published, timezone: "UTC" }, { forwardDate: false });
  } catch {
    return found;
  }
  for (const result of results) {
    const start = offset + result.index;
    const end = start + result.text.length;
    if (found.some((other) => other.start < end && start < other.end)) continue;
    const component = result.start;
    const known: { year?: number; month?: number; day?: number; weekday?: number; hour?: number } = {};
    for (const unit of ["year", "month", "day", "weekday", "hour"] as const) {
      if (component.isCertain(unit)) known[unit] = component.get(unit) ?? undefined;
    }
    // chrono also reads phrases such as "in the week" as days; a date in news text names a day, a month or a relative day.
    if (!/\d|day|night|morning|evening|tomorrow|yesterday|january|february|march|april|may|june|july|august|september|october|november|december|jan\b|feb\b|mar\b|apr\b|jun\b|jul\b|aug\b|sept?\b|oct\b|nov\b|dec\b/i.test(result.text)) continue;
    const weekdayOnly = known.weekday !== undefined && known.day === undefined && known.month === undefined;
    if (known.hour !== undefined && known.day === undefined && known.weekday === undefined) continue; // "at 3 p.m." alone dates nothing
    found.push({
      start,
      end,
      text: result.text,
      resolve(planned, anchor) {
        if (weekdayOnly) {
          const weekday = known.weekday!;
          if (anchor && /week/i.test(text)) {
            const day = addDays(utcDay(anchor), ((weekday - anchor.getUTCDay() + 7) % 7) || 7);
            return { date: iso(day) };
          }
          const back = (publishedDay.getUTCDay() - weekday + 7) % 7;
          return { date: iso(planned ? addDays(publishedDay, (weekday - publishedDay.getUTCDay() + 7) % 7) : addDays(publishedDay, -back)) };
        }
        const date = result.start.date();
        if (Number.isNaN(date.getTime())) return undefined;
        let day = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
        if (known.year === undefined && known.day !== undefined) {
          // "On Dec. 28" in a January story is last year's; "on May 27" in a story of May 21 is this year's,
          // and belongs to something still to come, not to what happened.
          const ahead = (day.getTime() - publishedDay.getTime()) / DAY_MS;
          if (!planned && ahead > YEAR_TURN_DAYS) day = new Date(Date.UTC(day.getUTCFullYear() - 1, day.getUTCMonth(), day.getUTCDate()));
          if (planned && -ahead > YEAR_TURN_DAYS) day = new Date(Date.UTC(day.getUTCFullYear() + 1, day.getUTCMonth(), day.getUTCDate()));
        }
        const year = day.getUTCFullYear();
        if (year < EARLIEST_YEAR || year > published.getUTCFullYear() + LATEST_YEARS_AHEAD) return undefined;
        if (known.day === undefined && known.month !== undefined) return { date: month(day) };
        if (known.day === undefined && known.month === undefined && known.year !== undefined) return { date: String(year) };
        return { date: iso(day) };
      },
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** What the drafter says when the text gives no date: the publication's month, bounded by its day. */
export function undated(published: Date, planned: boolean): DraftDate {
  const day = utcDay(published);
  return planned ? { date: iso(day) } : { date: month(day), notAfter: iso(day) };
}

export function startOf(date: DraftDate): Date {
  const [year, monthNumber = "01", dayNumber = "01"] = date.date.split("-");
  return new Date(Date.UTC(Number(year), Number(monthNumber) - 1, Number(dayNumber)));
}
