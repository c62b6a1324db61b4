import { badUserInput } from "./errors";

/** What a write may carry: generous for real reporting, bounded against abuse. */
export const LIMITS = {
  title: 300,
  summary: 10_000,
  name: 200,
  description: 5_000,
  alias: 200,
  aliases: 50,
  url: 2_048,
  body: 1_000_000,
  key: 200,
  /** Deaths or injuries in one event: more than any single event has had. */
  toll: 10_000_000,
  tollText: 200,
  participants: 100,
  causes: 100,
  sources: 100,
  articleEvents: 500,
  claims: 50,
  claimStatement: 2_000,
} as const;

// Control characters other than tab and line breaks have no place in reporting text; NUL
// cannot even be stored in a Postgres text column.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** A required, trimmed, single- or multi-line text of at most `max` characters. */
export function requiredText(value: string, field: string, max: number): string {
  const text = optionalText(value, field, max);
  if (text === null) throw badUserInput(`${field} must not be empty`, field);
  return text;
}

/** An optional text: null or blank is null; otherwise as requiredText. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value == null) return null;
  const text = value.trim();
  if (!text) return null;
  if (CONTROL.test(text)) throw badUserInput(`${field} must not contain control characters`, field);
  // A lone UTF-16 surrogate cannot be stored as such: Postgres would keep U+FFFD instead, and
  // the text would never again match what the client sends.
  if (LONE_SURROGATE.test(text)) throw badUserInput(`${field} must be well-formed Unicode text`, field);
  if (text.length > max) throw badUserInput(`${field} must be at most ${max} characters, got ${text.length}`, field);
  return text;
}

/** A death or injury count: null (unknown) or a whole number from 0 to LIMITS.toll. */
export function toll(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > LIMITS.toll) {
    throw badUserInput(`${field} must be a whole number from 0 to ${LIMITS.toll}, got ${value}`, field);
  }
  return value;
}

/** An absolute http(s) URL, normalised by the WHATWG parser so one article has one spelling. */
export function httpUrl(value: string, field: string): string {
  const text = requiredText(value, field, LIMITS.url);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUserInput(`${field}: "${text.slice(0, 80)}" is not a URL`, field);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badUserInput(`${field} must be an http or https URL, got ${url.protocol}`, field);
  }
  url.hash = "";
  return url.toString();
}

/** A list of at most `max` values; null is null (not given), so that updates can tell "unchanged" from "empty". */
export function boundedInput<T>(values: readonly T[] | null | undefined, field: string, max: number): T[] | null {
  if (values == null) return null;
  if (values.length > max) throw badUserInput(`${field} takes at most ${max} values, got ${values.length}`, field);
  return [...values];
}

/** A list of aliases: trimmed, de-duplicated case-insensitively, each at most LIMITS.alias characters. */
export function aliases(values: readonly string[] | null | undefined, field: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const [index, value] of (boundedInput(values, field, LIMITS.aliases) ?? []).entries()) {
    const alias = requiredText(value, `${field}[${index}]`, LIMITS.alias);
    if (!seen.has(alias.toLowerCase())) result.push(alias);
    seen.add(alias.toLowerCase());
  }
  return result;
}

/** A latitude or longitude within its range. */
export function coordinate(value: number | null | undefined, field: string, limit: 90 | 180): number | null {
  if (value == null) return null;
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    throw badUserInput(`${field} must be between -${limit} and ${limit}, got ${value}`, field);
  }
  return value;
}

/** Limits list inputs so that one request cannot ask the database for an unbounded IN list. */
export const MAX_LIST_INPUT = 100;

/** A filter's list: at most MAX_LIST_INPUT values, each once; null (not given) is empty, which constrains nothing. */
export function boundedList<T>(values: readonly T[] | null | undefined, field: string): T[] {
  if (!values) return [];
  if (values.length > MAX_LIST_INPUT) {
    throw badUserInput(`${field} takes at most ${MAX_LIST_INPUT} values, got ${values.length}`, field);
  }
  return [...new Set(values)];
}

/** A search term: trimmed, null when blank, with no NUL (which Postgres cannot take) and at most `max` characters. */
export function searchTerm(value: string | null | undefined, field: string, max: number): string | null {
  const term = value?.trim();
  if (!term) return null;
  if (term.includes("\0")) throw badUserInput(`${field} must not contain NUL characters`, field);
  if (term.length > max) throw badUserInput(`${field} must be at most ${max} characters, got ${term.length}`, field);
  return term;
}
