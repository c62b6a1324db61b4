import type { Precision } from "./types";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * An event's date as precisely as it is known, in UTC as the API dates it:
 * "17 Jan 2024" (DAY), "Jan 2024" (MONTH), "2024" (YEAR), "17 Jan 2024, 14:05 UTC" (TIME).
 */
export function formatEventDate(occurredAt: string, precision: Precision): string {
  const at = new Date(occurredAt);
  const year = at.getUTCFullYear();
  const month = MONTHS[at.getUTCMonth()];
  const day = at.getUTCDate();
  switch (precision) {
    case "YEAR":
      return String(year);
    case "MONTH":
      return `${month} ${year}`;
    case "DAY":
      return `${day} ${month} ${year}`;
    case "TIME":
      return `${day} ${month} ${year}, ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
  }
}

/** The machine-readable form for <time datetime>, at the same precision. */
export function isoAtPrecision(occurredAt: string, precision: Precision): string {
  const at = new Date(occurredAt);
  const date = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  if (precision === "YEAR") return date.slice(0, 4);
  if (precision === "MONTH") return date.slice(0, 7);
  if (precision === "DAY") return date;
  return at.toISOString();
}

/** The day an event is listed under: its own period when it is known only to a month or a year. */
export function dayGroup(occurredAt: string, precision: Precision): { key: string; label: string } {
  const dayPrecision: Precision = precision === "TIME" ? "DAY" : precision;
  return { key: isoAtPrecision(occurredAt, dayPrecision), label: formatEventDate(occurredAt, dayPrecision) };
}

/** A short day for chart axes: "15 Jan", or "Jan 2024" / "2024" for coarser buckets. */
export function formatBucket(start: string, interval: "WEEK" | "MONTH" | "YEAR"): string {
  const at = new Date(start);
  if (interval === "YEAR") return String(at.getUTCFullYear());
  if (interval === "MONTH") return `${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-GB");
}

/** "Airstrike" for AIRSTRIKE, "Armed clash" for ARMED_CLASH. */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** 1 event, 2 events. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
