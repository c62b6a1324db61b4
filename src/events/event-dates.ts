import type { EventStatus } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import { formatPartialDate, type DatePrecision } from "../common/partial-date";

/** When an event may be dated, against the time of the write. */
export interface DateRules {
  now(): Date;
  /** How far ahead a PLANNED event may be dated, in years. */
  plannedHorizonYears: number;
}

export const defaultDateRules = (plannedHorizonYears = 100): DateRules => ({ now: () => new Date(), plannedHorizonYears });

/** A day: a date written in one time zone may be tomorrow in UTC. */
const SLACK_MS = 86_400_000;

/**
 * Refuses a date no reporting can have: an OCCURRED event that starts after the write (a day's
 * slack for time zones), a PLANNED one beyond the horizon. A typo such as 9024 for 2024 would
 * otherwise stretch every dashboard over seven thousand years.
 */
export function checkEventDate(
  event: { occurredAt: Date; precision: DatePrecision; status: EventStatus },
  rules: DateRules,
  field: string,
): void {
  const now = rules.now().getTime();
  const dated = formatPartialDate({ start: event.occurredAt, precision: event.precision });
  if (event.status === "OCCURRED" && event.occurredAt.getTime() > now + SLACK_MS) {
    throw badUserInput(
      `${field}: "${dated}" is in the future, and an OCCURRED event cannot start after it is written; give status PLANNED for what is announced or expected`,
      field,
    );
  }
  const horizon = new Date(now);
  horizon.setUTCFullYear(horizon.getUTCFullYear() + rules.plannedHorizonYears);
  if (event.status === "PLANNED" && event.occurredAt > horizon) {
    throw badUserInput(`${field}: "${dated}" is more than ${rules.plannedHorizonYears} years ahead, further than a PLANNED event may be dated`, field);
  }
}
