import { badUserInput } from "./errors";

/** Parses a GraphQL ID into the integer key the database uses; anything else is BAD_USER_INPUT. */
export function parseId(value: string | number, field = "id"): number {
  const text = String(value).trim();
  const id = /^[1-9]\d{0,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) {
    throw badUserInput(`${field}: "${String(value).slice(0, 40)}" is not a valid id`, field);
  }
  return id;
}

/** Limits list inputs so that one request cannot ask the database for an unbounded IN list. */
export const MAX_LIST_INPUT = 100;

export function boundedList<T>(values: readonly T[] | null | undefined, field: string): T[] {
  if (!values) return [];
  if (values.length > MAX_LIST_INPUT) {
    throw badUserInput(`${field} takes at most ${MAX_LIST_INPUT} values, got ${values.length}`, field);
  }
  return [...new Set(values)];
}
