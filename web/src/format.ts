import type { Claim, Precision, Toll } from "./types";

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
export function dayGroup(
  occurredAt: string,
  precision: Precision,
  window?: { earliest: string; latest: string; earliestBound: string; latestBound: string },
): { key: string; group: string; label: string } {
  const dayPrecision: Precision = precision === "TIME" ? "DAY" : precision;
  const key = isoAtPrecision(occurredAt, dayPrecision);
  const label = formatEventDate(occurredAt, dayPrecision);
  // A month or year narrowed by sources or causal links sits where its window starts, so it can
  // follow another group of the same month: its window in the heading keeps the two apart.
  const narrowed = window && dayPrecision !== "DAY" ? formatWindow(window, precision) : null;
  if (!narrowed) return { key, group: key, label };
  return { key, group: `${key} ${window!.earliest} ${window!.latest}`, label: `${label}, ${narrowed}` };
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

/**
 * A toll as a reader says it: the source's words where it gave words ("at least nine people
 * killed"), else the figure with its qualifier ("at least 9 killed", "8–12 killed").
 */
export function tollPhrase(toll: Toll | null, verb: string): string | null {
  if (!toll || toll.best == null) return null;
  if (toll.text) return `${toll.text} ${verb}`;
  const figure = (n: number | null) => formatCount(n ?? toll.best!);
  switch (toll.qualifier) {
    case "AT_LEAST":
      return `at least ${figure(toll.low)} ${verb}`;
    case "AT_MOST":
      return `up to ${figure(toll.high)} ${verb}`;
    case "ABOUT":
      return `about ${figure(toll.best)} ${verb}`;
    case "RANGE":
      return toll.low !== toll.high ? `${figure(toll.low)}–${figure(toll.high)} ${verb}` : `${figure(toll.best)} ${verb}`;
    default:
      return `${figure(toll.best)} ${verb}`;
  }
}

/**
 * One claim, short: "Pakistan: two children killed, three others injured" when it gave figures,
 * else what it said ("Iran: the strikes hit militant hideouts"), its leading "said" dropped since
 * the claimant's name stands before it.
 */
export function claimPhrase(claim: Claim): string {
  const figures = [tollPhrase(claim.deaths, "killed"), tollPhrase(claim.injuries, "injured")].filter(Boolean).join(", ");
  const said = figures || claim.statement.replace(/^(said|says|claimed|claims)\s+(that\s+)?/i, "");
  return claim.claimant ? `${claim.claimant.name}: ${said}` : said;
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

/**
 * A time window as days, when it says more than the date does: "between 17 and 29 Jan 2024",
 * "between 30 Jan and 2 Feb 2024"; null when it spans the date's own period or lies in one day
 * the date already names.
 */
export function formatWindow(window: { earliest: string; latest: string; earliestBound: string; latestBound: string }, precision: Precision): string | null {
  if (window.earliestBound === "DATE" && window.latestBound === "DATE") return null;
  const [from, to] = [new Date(window.earliest), new Date(window.latest)];
  const sameDay = from.toISOString().slice(0, 10) === to.toISOString().slice(0, 10);
  if (sameDay) return precision === "DAY" || precision === "TIME" ? null : formatEventDate(window.earliest, "DAY");
  const [fromYear, toYear] = [from.getUTCFullYear(), to.getUTCFullYear()];
  const sameMonth = fromYear === toYear && from.getUTCMonth() === to.getUTCMonth();
  const start = sameMonth ? String(from.getUTCDate()) : fromYear === toYear ? `${from.getUTCDate()} ${MONTHS[from.getUTCMonth()]}` : formatEventDate(window.earliest, "DAY");
  return `between ${start} and ${formatEventDate(window.latest, "DAY")}`;
}
