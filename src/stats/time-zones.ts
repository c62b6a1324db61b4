import { badUserInput } from "../common/errors";
import zones from "./time-zones.json";

/**
 * The IANA time zones buckets may be cut in: every name the embedded database knows
 * (scripts/time-zones.ts writes the list from it), aliases included, and none of the "posix/"
 * copies a Postgres server adds, so that a name works on both databases or on neither.
 * tests/request-messages.test.ts holds each database to knowing every one.
 */
export const TIME_ZONES: ReadonlySet<string> = new Set(zones);

/** The name if it is on the list (exactly as spelled there); otherwise BAD_USER_INPUT. */
export function checkTimeZone(name: string, field: string): string {
  if (!TIME_ZONES.has(name)) {
    throw badUserInput(`${field}: unknown time zone "${name.slice(0, 60)}"; use an IANA name such as "Europe/Paris" or "UTC"`, field);
  }
  return name;
}
