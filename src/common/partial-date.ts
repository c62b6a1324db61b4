import { badUserInput } from "./errors";

export type DatePrecision = "YEAR" | "MONTH" | "DAY" | "TIME";

/** A date known to some precision: the period [start, end) it stands for. */
export interface PartialDate {
  readonly precision: DatePrecision;
  /** First instant of the period (UTC). */
  readonly start: Date;
  /** First instant after the period: exclusive, so periods tile without gaps. */
  readonly end: Date;
}

const YEAR = /^(\d{4})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A full date-time must carry an offset: a bare local time would mean different instants to different readers.
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

const FORMAT_HINT = "use YYYY, YYYY-MM, YYYY-MM-DD or an ISO-8601 date-time with offset";

/**
 * Parses `2024`, `2024-01`, `2024-01-17` or `2024-01-17T10:00:00Z` into the period it stands for.
 * Throws a BAD_USER_INPUT GraphQLError for anything else, including impossible dates (2024-02-30).
 */
export function parsePartialDate(input: unknown, field = "date"): PartialDate {
  if (typeof input !== "string") {
    throw badUserInput(`${field} must be a string (${FORMAT_HINT})`, field);
  }
  const value = input.trim();
  let match: RegExpMatchArray | null;
  if ((match = value.match(YEAR))) {
    const year = Number(match[1]);
    return period("YEAR", utc(year, 1, 1), utc(year + 1, 1, 1));
  }
  if ((match = value.match(MONTH))) {
    const [year, month] = [Number(match[1]), Number(match[2])];
    checkMonth(month, input, field);
    return period("MONTH", utc(year, month, 1), utc(year, month + 1, 1));
  }
  if ((match = value.match(DAY))) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    checkDay(year, month, day, input, field);
    return period("DAY", utc(year, month, day), utc(year, month, day + 1));
  }
  if ((match = value.match(TIME))) {
    const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
    checkDay(year, month, day, input, field);
    const offset = match[8];
    const offsetMinutes =
      offset === "Z" ? 0 : (offset[0] === "-" ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    const offsetMinutePart = offset === "Z" ? 0 : Number(offset.slice(4, 6));
    if (hour > 23 || minute > 59 || second > 59 || offsetMinutePart > 59 || Math.abs(offsetMinutes) > 14 * 60) {
      throw badUserInput(`${field}: "${input}" is not a valid time`, field);
    }
    // Milliseconds are what the database keeps; finer digits are dropped, not rounded up into the next second.
    const millis = Number((match[7] ?? "0").padEnd(3, "0").slice(0, 3));
    const local = utc(year, month, day);
    local.setUTCHours(hour, minute, second, millis);
    const start = new Date(local.getTime() - offsetMinutes * 60_000);
    return period("TIME", start, new Date(start.getTime() + 1));
  }
  throw badUserInput(`${field}: "${input}" is not a date (${FORMAT_HINT})`, field);
}

/** The period that an event stored as (start, precision) stands for. */
export function periodOf(start: Date, precision: DatePrecision): PartialDate {
  const [year, month, day] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  switch (precision) {
    case "YEAR":
      return period(precision, start, utc(year + 1, 1, 1));
    case "MONTH":
      return period(precision, start, utc(year, month + 1, 1));
    case "DAY":
      return period(precision, start, utc(year, month, day + 1));
    case "TIME":
      return period(precision, start, new Date(start.getTime() + 1));
  }
}

/** Formats a date at its precision: `2024`, `2024-01`, `2024-01-17` or a full ISO date-time. */
export function formatPartialDate({ start, precision }: Pick<PartialDate, "start" | "precision">): string {
  const iso = start.toISOString();
  switch (precision) {
    case "YEAR":
      return iso.slice(0, 4);
    case "MONTH":
      return iso.slice(0, 7);
    case "DAY":
      return iso.slice(0, 10);
    case "TIME":
      return iso;
  }
}

function period(precision: DatePrecision, start: Date, end: Date): PartialDate {
  if (Number.isNaN(start.getTime()) || start.getUTCFullYear() < 1 || start.getUTCFullYear() > 9999) {
    throw badUserInput(`date is out of range`, "date");
  }
  return { precision, start, end };
}

function utc(year: number, month: number, day: number): Date {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0-99 to 1900-1999; years before 100 are set explicitly.
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function checkMonth(month: number, input: string, field: string): void {
  if (month < 1 || month > 12) throw badUserInput(`${field}: "${input}" has no month ${month}`, field);
}

function checkDay(year: number, month: number, day: number, input: string, field: string): void {
  checkMonth(month, input, field);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  if (day < 1 || day > daysInMonth) throw badUserInput(`${field}: "${input}" is not a day of the calendar`, field);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
