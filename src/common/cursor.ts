import { badUserInput } from "./errors";

// Cursors are opaque to clients: a versioned, base64url-encoded JSON tuple. The version prefix
// lets the server refuse cursors it did not issue and change the format later.
const PREFIX = "c1:";

/** Encodes the keyset position of a row as an opaque cursor. */
export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(PREFIX + JSON.stringify(key), "utf8").toString("base64url");
}

// The ranges of what the server puts in a cursor: Postgres int4 values, and instants from
// year 1 to year 9999 in epoch milliseconds.
const INT4 = [-2_147_483_648, 2_147_483_647] as const;
// (Date.UTC maps years below 100 to the 1900s, hence the literal for 0001-01-01T00:00:00Z.)
const INSTANT = [-62_135_596_800_000, Date.UTC(9999, 11, 31, 23, 59, 59, 999)] as const;

/**
 * Decodes a cursor into a key of the given shape ("s" string, "i" int4 integer, "t" instant in
 * epoch milliseconds); throws BAD_USER_INPUT for anything this server could not have issued.
 */
export function decodeCursor(cursor: string, shape: string, argument = "after"): Array<string | number> {
  const invalid = () => badUserInput(`${argument}: "${truncate(cursor)}" is not a cursor this server issued`, argument);
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(PREFIX)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(text.slice(PREFIX.length));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw invalid();
  key.forEach((part, index) => {
    const kind = shape[index];
    const ok =
      kind === "s"
        ? typeof part === "string" && !part.includes("\u0000")
        : Number.isSafeInteger(part) && within(part as number, kind === "t" ? INSTANT : INT4);
    if (!ok) throw invalid();
  });
  return key as Array<string | number>;
}

function within(value: number, [min, max]: readonly [number, number]): boolean {
  return value >= min && value <= max;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
