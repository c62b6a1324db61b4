import { WindowBound, type EventCategory, type EventStatus } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import type { PartialDate } from "../common/partial-date";
import { LIMITS, optionalText, requiredText } from "../common/validate";
import { tollFromClaims, type CheckedClaim } from "./claim";
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
export function eventFields(input: EventFieldsInput, prefix: string, claims: readonly CheckedClaim[] = []) {
  const tolls = givenTolls(input, prefix);
  return {
    title: requiredText(input.title, `${prefix}.title`, LIMITS.title),
    summary: optionalText(input.summary, `${prefix}.summary`, LIMITS.summary),
    ...dateColumns(input.date),
    ...boundColumns(input, prefix),
    category: input.category,
    status: input.status ?? "OCCURRED",
    ...deathColumns(eventToll(tolls.deaths ?? null, claims.map((claim) => claim.deaths))!),
    ...injuryColumns(eventToll(tolls.injuries ?? null, claims.map((claim) => claim.injuries))!),
  };
}

/** The tolls an event's inputs give (tollOf): undefined when not given, null when cleared. */
export function givenTolls(input: Partial<Pick<EventFieldsInput, "fatalities" | "deaths" | "injured" | "injuries">>, prefix: string) {
  return {
    deaths: tollOf(input.fatalities, input.deaths, { figure: `${prefix}.fatalities`, toll: `${prefix}.deaths` }),
    injuries: tollOf(input.injured, input.injuries, { figure: `${prefix}.injured`, toll: `${prefix}.injuries` }),
  };
}

/** An event's toll and whether its claims gave it (then new claims give it anew). */
export interface EventToll {
  toll: StoredToll | null;
  fromClaims: boolean;
}

/**
 * What a write makes of an event's toll: the one given; when cleared or never given, the one its
 * claims give (tollFromClaims). An update that gives new claims and no toll re-derives a toll
 * that came from claims (or was unknown), and leaves one given by an editor; undefined when the
 * write leaves the toll as it is. `claimed` are the figures of the claims the event will have,
 * undefined when the write leaves them (and the toll stays given or unknown).
 */
export function eventToll(
  given: StoredToll | null | undefined,
  claimed: ReadonlyArray<StoredToll | null> | undefined,
  stored: { known: boolean; fromClaims: boolean } = { known: false, fromClaims: false },
): EventToll | undefined {
  if (given) return { toll: given, fromClaims: false };
  const derive = (): EventToll => {
    const toll = tollFromClaims(claimed ?? []);
    return { toll, fromClaims: toll !== null };
  };
  if (given === null) return derive();
  return claimed && (stored.fromClaims || !stored.known) ? derive() : undefined;
}

/** The deaths' columns: `fatalities` holds the best figure, the others the rest of the toll. */
export function deathColumns({ toll, fromClaims }: EventToll) {
  return {
    fatalities: toll?.best ?? null,
    deathsLow: toll?.low ?? null,
    deathsHigh: toll?.high ?? null,
    deathsQualifier: toll?.qualifier ?? null,
    deathsText: toll?.text ?? null,
    deathsFromClaims: fromClaims,
  };
}

export function injuryColumns({ toll, fromClaims }: EventToll) {
  return {
    injured: toll?.best ?? null,
    injuriesLow: toll?.low ?? null,
    injuriesHigh: toll?.high ?? null,
    injuriesQualifier: toll?.qualifier ?? null,
    injuriesText: toll?.text ?? null,
    injuriesFromClaims: fromClaims,
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
 * nullable field and is refused for a required one. A new date brings its periodWindow(). The
 * tolls are not among them: they may hang on the stored claims (givenTolls, eventToll).
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
