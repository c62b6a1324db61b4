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
