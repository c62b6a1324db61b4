/**
 * The review's data, apart from the DOM: the draft as the API gives it, the events as the editor
 * edits them, merging and dropping, and the ArticleInput that publishing sends.
 */

export type Qualifier = "EXACT" | "AT_LEAST" | "AT_MOST" | "ABOUT" | "RANGE";
export const QUALIFIERS: Qualifier[] = ["EXACT", "AT_LEAST", "AT_MOST", "ABOUT", "RANGE"];
export const STATUSES = ["OCCURRED", "PLANNED"] as const;

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Toll {
  low: number | null;
  best: number | null;
  high: number | null;
  qualifier: Qualifier;
  text: string | null;
}

export interface DraftClaim {
  claimant: string | null;
  statement: string;
  deaths: Toll | null;
  injuries: Toll | null;
}

export interface DraftEvent {
  key: string;
  title: string;
  summary: string | null;
  date: string;
  notBefore: string | null;
  notAfter: string | null;
  category: string;
  status: string;
  deaths: Toll | null;
  injuries: Toll | null;
  claims: DraftClaim[];
  location: string | null;
  participants: Array<{ participant: string; role: string }>;
  causes: string[];
  evidence: Span[];
  confidence: number;
}

export interface DraftParticipant {
  slug: string;
  name: string;
  kind: string;
  known: boolean;
}

export interface DraftLocation {
  slug: string;
  name: string;
  kind: string;
  parent: string | null;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  known: boolean;
}

export interface ArticleDraft {
  events: DraftEvent[];
  participants: DraftParticipant[];
  locations: DraftLocation[];
}

/** An event under review: the draft's fields as the form holds them (blank text is ""). */
export interface EditEvent {
  /** Names its card's elements; stays when the key would not do as an id. */
  uid: string;
  key: string;
  title: string;
  summary: string;
  date: string;
  notBefore: string;
  notAfter: string;
  category: string;
  status: string;
  deaths: Toll;
  injuries: Toll;
  claims: DraftClaim[];
  location: string | null;
  participants: Array<{ participant: string; role: string }>;
  causes: string[];
  evidence: Span[];
  confidence: number;
}

export interface ArticleMeta {
  url: string;
  title: string;
  publisher: string;
  author: string;
  /** ISO-8601, UTC. */
  publishedAt: string;
}

const emptyToll = (): Toll => ({ low: null, best: null, high: null, qualifier: "EXACT", text: null });

/** The draft as the review starts it. */
export function editable(draft: ArticleDraft): EditEvent[] {
  return draft.events.map((event, i) => ({
    uid: `e${i + 1}`,
    key: event.key,
    title: event.title,
    summary: event.summary ?? "",
    date: event.date,
    notBefore: event.notBefore ?? "",
    notAfter: event.notAfter ?? "",
    category: event.category,
    status: event.status,
    deaths: event.deaths ? { ...event.deaths } : emptyToll(),
    injuries: event.injuries ? { ...event.injuries } : emptyToll(),
    claims: event.claims.map((claim) => ({ ...claim })),
    location: event.location,
    participants: event.participants.map((role) => ({ ...role })),
    causes: [...event.causes],
    evidence: event.evidence.map((span) => ({ ...span })),
    confidence: event.confidence,
  }));
}

export const hasFigure = (toll: Toll) => toll.low !== null || toll.best !== null || toll.high !== null;

/** Drops an event: the others no longer name it as a cause. */
export function dropEvent(events: EditEvent[], uid: string): EditEvent[] {
  const dropped = events.find((event) => event.uid === uid);
  if (!dropped) return events;
  return events.filter((event) => event !== dropped).map((event) => ({ ...event, causes: event.causes.filter((key) => key !== dropped.key) }));
}

/**
 * Merges one event into another, which takes its evidence, participants, claims and causes (and
 * its place, summary and tolls where the target has none); events that responded to the merged
 * one now respond to the target. The merged event goes.
 */
export function mergeEvent(events: EditEvent[], fromUid: string, intoUid: string): EditEvent[] {
  const from = events.find((event) => event.uid === fromUid);
  const into = events.find((event) => event.uid === intoUid);
  if (!from || !into || from === into) return events;
  const evidence = [...into.evidence];
  for (const span of from.evidence) if (!evidence.some((kept) => kept.start === span.start && kept.end === span.end)) evidence.push(span);
  evidence.sort((a, b) => a.start - b.start || a.end - b.end);
  const participants = [...into.participants];
  for (const role of from.participants) if (!participants.some((kept) => kept.participant === role.participant)) participants.push(role);
  const claims = [...into.claims];
  for (const claim of from.claims) if (!claims.some((kept) => kept.claimant === claim.claimant && kept.statement === claim.statement)) claims.push(claim);
  const merged: EditEvent = {
    ...into,
    summary: into.summary || from.summary,
    location: into.location ?? from.location,
    deaths: hasFigure(into.deaths) ? into.deaths : from.deaths,
    injuries: hasFigure(into.injuries) ? into.injuries : from.injuries,
    evidence,
    participants,
    claims,
    causes: [...new Set([...into.causes, ...from.causes])].filter((key) => key !== into.key && key !== from.key),
    confidence: Math.max(into.confidence, from.confidence),
  };
  return events
    .filter((event) => event !== from)
    .map((event) => {
      if (event === into) return merged;
      if (!event.causes.includes(from.key)) return event;
      const causes = [...new Set(event.causes.map((key) => (key === from.key ? into.key : key)))].filter((key) => key !== event.key);
      return { ...event, causes };
    });
}

// A date as the API's PartialDate takes it: a year, a month, a day, or a date-time with offset.
const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
export const validPartialDate = (value: string) => PARTIAL_DATE.test(value.trim());

/** One thing to fix before publishing: which event, which field (the card's input name), why. */
export interface Problem {
  uid: string;
  field: string;
  message: string;
}

/** What the API would refuse as malformed, found before sending: titles, dates, figures. */
export function problems(events: EditEvent[]): Problem[] {
  const found: Problem[] = [];
  events.forEach((event, i) => {
    const name = `Event ${i + 1}`;
    if (!event.title.trim()) found.push({ uid: event.uid, field: "title", message: `${name}: the title must not be empty.` });
    if (!validPartialDate(event.date)) found.push({ uid: event.uid, field: "date", message: `${name}: the date must be a year, a month or a day (2025, 2025-03, 2025-03-09), or a date-time with offset.` });
    for (const [field, label] of [["notBefore", "not before"], ["notAfter", "not after"]] as const) {
      if (event[field].trim() && !validPartialDate(event[field])) found.push({ uid: event.uid, field, message: `${name}: "${label}" must be blank, or a year, a month or a day.` });
    }
    for (const [field, label] of [["deaths", "deaths"], ["injuries", "injuries"]] as const) {
      for (const end of ["best", "low", "high"] as const) {
        const value = event[field][end];
        if (value !== null && (!Number.isInteger(value) || value < 0)) found.push({ uid: event.uid, field: `${field}-${end}`, message: `${name}: ${label} (${end}) must be a whole number, 0 or more.` });
      }
    }
  });
  return found;
}

const PLACE_ORDER: Record<string, number> = { COUNTRY: 0, REGION: 1, CITY: 2, SITE: 3 };

const compact = <T extends object>(value: T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== "")) as Partial<T>;

function tollInput(toll: Toll): Partial<Toll> | undefined {
  if (!hasFigure(toll)) return undefined;
  return compact({ ...toll, text: toll.text?.trim() || null });
}

/**
 * The ArticleInput publishing sends: the article with the text as drafted as its body, the
 * events as edited, and the participants and places they name that are not stored yet (a new
 * place's new parents too, parents first), as src/drafts/draft-file.ts makes it for the CLI.
 */
export function articleInput(meta: ArticleMeta, text: string, events: EditEvent[], participants: Map<string, DraftParticipant>, locations: Map<string, DraftLocation>) {
  const keys = new Set(events.map((event) => event.key));
  const usedParticipants = new Set<string>();
  const usedLocations = new Set<string>();
  for (const event of events) {
    for (const role of event.participants) usedParticipants.add(role.participant);
    for (const claim of event.claims) if (claim.claimant) usedParticipants.add(claim.claimant);
    if (event.location) usedLocations.add(event.location);
  }
  const newLocations: DraftLocation[] = [];
  const visit = (slug: string | null, seen: Set<string>) => {
    const location = slug ? locations.get(slug) : undefined;
    if (!location || location.known || seen.has(location.slug) || newLocations.includes(location)) return;
    seen.add(location.slug);
    visit(location.parent, seen);
    newLocations.push(location);
  };
  const ordered = [...usedLocations].sort((a, b) => (PLACE_ORDER[locations.get(a)?.kind ?? ""] ?? 9) - (PLACE_ORDER[locations.get(b)?.kind ?? ""] ?? 9));
  for (const slug of ordered) visit(slug, new Set());
  return compact({
    url: meta.url.trim(),
    title: meta.title.trim(),
    publisher: meta.publisher.trim() || null,
    author: meta.author.trim() || null,
    publishedAt: meta.publishedAt,
    body: text,
    participants: [...usedParticipants].flatMap((slug) => {
      const participant = participants.get(slug);
      return participant && !participant.known ? [{ slug, name: participant.name, kind: participant.kind }] : [];
    }),
    locations: newLocations.map(({ known: _known, ...location }) => compact(location)),
    events: events.map((event) => ({
      ...compact({
        key: event.key,
        title: event.title.trim(),
        summary: event.summary.trim() || null,
        date: event.date.trim(),
        notBefore: event.notBefore.trim() || null,
        notAfter: event.notAfter.trim() || null,
        category: event.category,
        status: event.status,
        location: event.location,
      }),
      ...(tollInput(event.deaths) ? { deaths: tollInput(event.deaths) } : {}),
      ...(tollInput(event.injuries) ? { injuries: tollInput(event.injuries) } : {}),
      claims: event.claims
        .filter((claim) => claim.statement.trim())
        .map((claim) => ({
          ...compact({ claimant: claim.claimant, statement: claim.statement.trim() }),
          ...(claim.deaths && tollInput(claim.deaths) ? { deaths: tollInput(claim.deaths) } : {}),
          ...(claim.injuries && tollInput(claim.injuries) ? { injuries: tollInput(claim.injuries) } : {}),
        })),
      participants: event.participants.map((role) => ({ ...role })),
      causes: event.causes.filter((key) => keys.has(key) && key !== event.key),
    })),
  });
}

export type HeaderField = "title" | "url" | "published" | "publisher" | "author";
const HEADER_FIELDS = new Set<string>(["title", "url", "published", "publisher", "author"]);

/**
 * A text file as `npm run ingest` reads one: when it starts with `title:`, `url:`, `published:`,
 * `publisher:` or `author:` lines and a blank line, those fill the fields and the rest is the
 * text; otherwise all of it is the text.
 */
export function readArticleFile(content: string): { fields: Partial<Record<HeaderField, string>>; text: string } {
  const normalised = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const split = normalised.search(/\n[ \t]*\n/);
  if (split < 0) return { fields: {}, text: normalised };
  const fields: Partial<Record<HeaderField, string>> = {};
  for (const line of normalised.slice(0, split).split("\n")) {
    const match = /^([a-z]+):\s*(.*)$/i.exec(line);
    const name = match?.[1]!.toLowerCase();
    if (!match || !name || !HEADER_FIELDS.has(name)) return { fields: {}, text: normalised };
    fields[name as HeaderField] = match[2]!.trim();
  }
  return { fields, text: normalised.slice(split).replace(/^\n[ \t]*\n+/, "") };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A date-time for <input type="datetime-local">, read as UTC: "2025-03-10T09:00". */
export function utcLocalValue(value: string): string | null {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return null;
  const seconds = at.getUTCSeconds() ? `:${pad(at.getUTCSeconds())}` : "";
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}${seconds}`;
}

/** The datetime-local value, read as UTC, as the API's DateTime; null when it is not one. */
export function utcInstant(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const at = new Date(`${value}Z`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
