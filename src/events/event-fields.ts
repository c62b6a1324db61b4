import type { EventCategory, EventStatus } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import type { PartialDate } from "../common/partial-date";
import { LIMITS, optionalText, requiredText, toll } from "../common/validate";

/** The scalar fields of an event as a client gives them (EventInput, ArticleEventInput). */
export interface EventFieldsInput {
  title: string;
  summary?: string | null;
  date: PartialDate;
  category: EventCategory;
  status?: EventStatus | null;
  fatalities?: number | null;
  injured?: number | null;
}

/** The columns those fields become, checked; `prefix` names the input in messages ("input", "events[2]"). */
export function eventFields(input: EventFieldsInput, prefix: string) {
  return {
    title: requiredText(input.title, `${prefix}.title`, LIMITS.title),
    summary: optionalText(input.summary, `${prefix}.summary`, LIMITS.summary),
    ...dateColumns(input.date),
    category: input.category,
    status: input.status ?? "OCCURRED",
    fatalities: toll(input.fatalities, `${prefix}.fatalities`),
    injured: toll(input.injured, `${prefix}.injured`),
  };
}

export type EventFields = ReturnType<typeof eventFields>;

/**
 * The columns a partial update changes: absent (undefined) fields are left out; null clears a
 * nullable field and is refused for a required one.
 */
export function eventFieldsUpdate(input: Partial<Record<keyof EventFieldsInput, unknown>>, prefix: string): Partial<EventFields> {
  const required = <T>(key: keyof EventFieldsInput, value: T | null | undefined): T | undefined => {
    if (value === null) throw badUserInput(`${prefix}.${key} cannot be null`, `${prefix}.${key}`);
    return value;
  };
  const columns: Partial<EventFields> = {};
  const title = required("title", input.title as string | null | undefined);
  if (title !== undefined) columns.title = requiredText(title, `${prefix}.title`, LIMITS.title);
  if (input.summary !== undefined) columns.summary = optionalText(input.summary as string | null, `${prefix}.summary`, LIMITS.summary);
  const date = required("date", input.date as PartialDate | null | undefined);
  if (date !== undefined) Object.assign(columns, dateColumns(date));
  const category = required("category", input.category as EventCategory | null | undefined);
  if (category !== undefined) columns.category = category;
  const status = required("status", input.status as EventStatus | null | undefined);
  if (status !== undefined) columns.status = status;
  if (input.fatalities !== undefined) columns.fatalities = toll(input.fatalities as number | null, `${prefix}.fatalities`);
  if (input.injured !== undefined) columns.injured = toll(input.injured as number | null, `${prefix}.injured`);
  return columns;
}

function dateColumns(date: PartialDate) {
  return { occurredAt: date.start, endsAt: date.end, precision: date.precision };
}
