import { WindowBound, type EventCategory, type EventStatus } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import type { PartialDate } from "../common/partial-date";
import { LIMITS, optionalText, requiredText } from "../common/validate";
import { tollOf, type StoredToll, type TollInput } from "./toll";

/** The scalar fields of an event as a client gives them (EventInput, ArticleEventInput). */
export interface EventFieldsInput {
  title: string;
  summary?: string | null;
  date: PartialDate;
  category: EventCategory;
  status?: EventStatus | null;
  fatalities?: number | null;
  injured?: number | null;
  deaths?: TollInput | null;
  injuries?: TollInput | null;
  notBefore?: PartialDate | null;
  notAfter?: PartialDate | null;
}

/**
 * The columns those fields become, checked; `prefix` names the input in messages ("input",
 * "events[2]"). The time window is not among them: a new row needs periodWindow(), and the
 * window is narrowed after the write (recomputeWindows).
 */
export function eventFields(input: EventFieldsInput, prefix: string) {
  return {
    title: requiredText(input.title, `${prefix}.title`, LIMITS.title),
    summary: optionalText(input.summary, `${prefix}.summary`, LIMITS.summary),
    ...dateColumns(input.date),
    ...boundColumns(input, prefix),
    category: input.category,
    status: input.status ?? "OCCURRED",
    ...deathColumns(tollOf(input.fatalities, input.deaths, { figure: `${prefix}.fatalities`, toll: `${prefix}.deaths` }) ?? null),
    ...injuryColumns(tollOf(input.injured, input.injuries, { figure: `${prefix}.injured`, toll: `${prefix}.injuries` }) ?? null),
  };
}

/** The deaths' columns: `fatalities` holds the best figure, the others the rest of the toll. */
function deathColumns(toll: StoredToll | null) {
  return {
    fatalities: toll?.best ?? null,
    deathsLow: toll?.low ?? null,
    deathsHigh: toll?.high ?? null,
    deathsQualifier: toll?.qualifier ?? null,
    deathsText: toll?.text ?? null,
  };
}

function injuryColumns(toll: StoredToll | null) {
  return {
    injured: toll?.best ?? null,
    injuriesLow: toll?.low ?? null,
    injuriesHigh: toll?.high ?? null,
    injuriesQualifier: toll?.qualifier ?? null,
    injuriesText: toll?.text ?? null,
  };
}

export type EventFields = ReturnType<typeof eventFields>;

/**
 * The time window a date alone gives (its period, both ends set by DATE): what a row starts
 * with when it is written with a new date, since the database holds every window inside its
 * date's period; recomputeWindows narrows it in the same transaction.
 */
export function periodWindow(date: Pick<PartialDate, "start" | "end" | "precision">) {
  const calendar = date.precision !== "TIME";
  return {
    earliest: date.start,
    latest: new Date(date.end.getTime() - 1),
    earliestBound: WindowBound.DATE,
    latestBound: WindowBound.DATE,
    earliestCalendar: calendar,
    latestCalendar: calendar,
  };
}

/**
 * The columns a partial update changes: absent (undefined) fields are left out; null clears a
 * nullable field and is refused for a required one. A new date brings its periodWindow().
 */
export function eventFieldsUpdate(
  input: Partial<Record<keyof EventFieldsInput, unknown>>,
  prefix: string,
): Partial<EventFields & ReturnType<typeof periodWindow>> {
  const required = <T>(key: keyof EventFieldsInput, value: T | null | undefined): T | undefined => {
    if (value === null) throw badUserInput(`${prefix}.${key} cannot be null`, `${prefix}.${key}`);
    return value;
  };
  const columns: Partial<EventFields & ReturnType<typeof periodWindow>> = {};
  const title = required("title", input.title as string | null | undefined);
  if (title !== undefined) columns.title = requiredText(title, `${prefix}.title`, LIMITS.title);
  if (input.summary !== undefined) columns.summary = optionalText(input.summary as string | null, `${prefix}.summary`, LIMITS.summary);
  const date = required("date", input.date as PartialDate | null | undefined);
  if (date !== undefined) Object.assign(columns, dateColumns(date), periodWindow(date));
  const category = required("category", input.category as EventCategory | null | undefined);
  if (category !== undefined) columns.category = category;
  const status = required("status", input.status as EventStatus | null | undefined);
  if (status !== undefined) columns.status = status;
  // A figure or a toll given replaces the whole toll; null clears it.
  const deaths = tollOf(input.fatalities as number | null | undefined, input.deaths as TollInput | null | undefined, {
    figure: `${prefix}.fatalities`,
    toll: `${prefix}.deaths`,
  });
  if (deaths !== undefined) Object.assign(columns, deathColumns(deaths));
  const injuries = tollOf(input.injured as number | null | undefined, input.injuries as TollInput | null | undefined, {
    figure: `${prefix}.injured`,
    toll: `${prefix}.injuries`,
  });
  if (injuries !== undefined) Object.assign(columns, injuryColumns(injuries));
  if (input.notBefore !== undefined) Object.assign(columns, notBeforeColumns(input.notBefore as PartialDate | null));
  if (input.notAfter !== undefined) Object.assign(columns, notAfterColumns(input.notAfter as PartialDate | null));
  return columns;
}

function dateColumns(date: PartialDate) {
  return { occurredAt: date.start, endsAt: date.end, precision: date.precision };
}

/** An explicit bound: the start of the notBefore period, the last instant of the notAfter one. */
function notBeforeColumns(date: PartialDate | null) {
  return { notBefore: date?.start ?? null, notBeforeCalendar: date != null && date.precision !== "TIME" };
}

function notAfterColumns(date: PartialDate | null) {
  return { notAfter: date ? new Date(date.end.getTime() - 1) : null, notAfterCalendar: date != null && date.precision !== "TIME" };
}

function boundColumns(input: Pick<EventFieldsInput, "notBefore" | "notAfter">, prefix: string) {
  if (input.notBefore && input.notAfter && input.notBefore.start >= input.notAfter.end) {
    throw badUserInput(`${prefix}.notBefore must not be after ${prefix}.notAfter`, `${prefix}.notBefore`);
  }
  return { ...notBeforeColumns(input.notBefore ?? null), ...notAfterColumns(input.notAfter ?? null) };
}
