import { stringify } from "csv-stringify";
import type { Writable } from "node:stream";
import { once } from "node:events";
import { formatPartialDate } from "../common/partial-date";
import type { EventListService } from "../events/event-list.service";
import type { LocationService } from "../locations/location.service";
import type { ParticipantService } from "../participants/participant.service";
import type { SourceService } from "../sources/source.service";
import type { Claim } from "../events/claim";
import type { ClaimService } from "../events/claim.service";
import type { EventRow } from "../events/event.columns";
import type { EventCriteria } from "../events/event-criteria";
import type { SortOrder } from "../events/event-filter.input";

/** The CSV columns, one row per event; lists are flattened as documented in the README. */
export const CSV_COLUMNS = [
  "id",
  "date",
  "precision",
  "occurred_at",
  "earliest",
  "latest",
  "title",
  "summary",
  "category",
  "status",
  "fatalities",
  "deaths_low",
  "deaths_high",
  "deaths_qualifier",
  "injured",
  "location",
  "location_name",
  "country_code",
  "participants",
  "sources",
  "claims",
] as const;

interface Enriched {
  event: EventRow;
  participants: Array<{ role: string; participant: { slug: string } }>;
  sources: Array<{ url: string; title: string; publisher: string | null }>;
  location: { slug: string; name: string; countryCode: string | null } | null;
  claims: Claim[];
}

/** Streams the matching events out a batch at a time, so memory stays flat whatever the size. */
export class ExportService {
  constructor(
    private readonly services: {
      eventLists: EventListService;
      participants: ParticipantService;
      sources: SourceService;
      locations: LocationService;
      claims: ClaimService;
    },
  ) {}

  async csv(criteria: EventCriteria, order: SortOrder, out: Writable): Promise<void> {
    const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
    csv.pipe(out);
    for await (const batch of this.enriched(criteria, order)) {
      for (const { event, participants, sources, location, claims } of batch) {
        const row = {
          id: event.id,
          date: formatPartialDate({ start: event.occurredAt, precision: event.precision }),
          precision: event.precision,
          occurred_at: event.occurredAt.toISOString(),
          earliest: event.earliest.toISOString(),
          latest: event.latest.toISOString(),
          title: event.title,
          summary: event.summary ?? "",
          category: event.category,
          status: event.status,
          fatalities: event.fatalities ?? "",
          deaths_low: event.deathsLow ?? "",
          deaths_high: event.deathsHigh ?? "",
          deaths_qualifier: event.deathsQualifier ?? "",
          injured: event.injured ?? "",
          location: location?.slug ?? "",
          location_name: location?.name ?? "",
          country_code: location?.countryCode ?? "",
          participants: participants.map(({ role, participant }) => `${role}:${participant.slug}`).join("|"),
          sources: sources.map((source) => source.url).join(" "),
          // claimant:deaths per claim, as participants are role:slug; either side empty when unknown.
          claims: claims.map((claim) => `${claim.claimant?.slug ?? ""}:${claim.deaths?.best ?? ""}`).join("|"),
        };
        if (!csv.write(row)) await once(csv, "drain");
      }
    }
    csv.end();
    await once(csv, "end");
  }

  /** TimelineJS 3's JSON: one slide per event, dated at its precision, grouped by category. */
  async timelineJs(criteria: EventCriteria, order: SortOrder, out: Writable): Promise<void> {
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, "drain");
    };
    await write('{"title":{"text":{"headline":"Timeline","text":"Events drawn from news reporting."}},"events":[');
    let first = true;
    for await (const batch of this.enriched(criteria, order)) {
      for (const item of batch) {
        await write((first ? "" : ",") + JSON.stringify(timelineJsEvent(item)));
        first = false;
      }
    }
    await write("]}");
    out.end();
  }

  private async *enriched(criteria: EventCriteria, order: SortOrder): AsyncGenerator<Enriched[]> {
    const { eventLists, participants, sources, locations, claims } = this.services;
    for await (const events of eventLists.batches(criteria, order)) {
      const ids = events.map((event) => event.id);
      const locationIds = [...new Set(events.flatMap((event) => (event.locationId == null ? [] : [event.locationId])))];
      const [roles, cited, places, claimed] = await Promise.all([
        participants.ofEvents(ids),
        sources.ofEvents(ids),
        locations.byIds(locationIds),
        claims.ofEvents(ids),
      ]);
      yield events.map((event) => ({
        event,
        participants: roles.get(event.id) ?? [],
        sources: cited.get(event.id) ?? [],
        location: event.locationId == null ? null : places.get(event.locationId) ?? null,
        claims: claimed.get(event.id) ?? [],
      }));
    }
  }
}

/** The date parts TimelineJS takes for an instant, down to `precision`. */
function dateParts(at: Date, precision: EventRow["precision"]): Record<string, number> {
  const parts: Record<string, number> = { year: at.getUTCFullYear() };
  if (precision !== "YEAR") parts.month = at.getUTCMonth() + 1;
  if (precision === "DAY" || precision === "TIME") parts.day = at.getUTCDate();
  if (precision === "TIME") Object.assign(parts, { hour: at.getUTCHours(), minute: at.getUTCMinutes(), second: at.getUTCSeconds() });
  return parts;
}

/**
 * Start and end dates at the window's precision: the reported date alone when nothing narrowed
 * it, else the window's ends, each to the day when it is a calendar date's and to the second
 * when it is an instant.
 */
function timelineJsDates(event: EventRow) {
  const display = formatPartialDate({ start: event.occurredAt, precision: event.precision });
  if (event.earliestBound === "DATE" && event.latestBound === "DATE") {
    return { start_date: { ...dateParts(event.occurredAt, event.precision), display_date: display } };
  }
  const precisionOf = (at: Date) => (at.getUTCHours() || at.getUTCMinutes() || at.getUTCSeconds() ? "TIME" : "DAY");
  const latestIsDayEnd = event.latest.getUTCHours() === 23 && event.latest.getUTCMinutes() === 59 && event.latest.getUTCSeconds() === 59;
  return {
    start_date: { ...dateParts(event.earliest, precisionOf(event.earliest)), display_date: display },
    end_date: dateParts(event.latest, latestIsDayEnd ? "DAY" : precisionOf(event.latest)),
  };
}

/** A toll for a reader: the source's words when it gave words, else the figure with its qualifier. */
function tollText(best: number, low: number | null, high: number | null, qualifier: string | null, text: string | null): string {
  if (text) return text;
  switch (qualifier) {
    case "AT_LEAST":
      return `at least ${low ?? best}`;
    case "AT_MOST":
      return `up to ${high ?? best}`;
    case "ABOUT":
      return `about ${best}`;
    case "RANGE":
      return low !== null && high !== null && low !== high ? `${low} to ${high}` : String(best);
    default:
      return String(best);
  }
}

/** A claim for a reader: "Pakistan: said two children were killed (killed: 2; injured: 3)". */
function claimText(claim: Claim): string {
  const figures = [
    claim.deaths?.best != null ? `killed: ${tollText(claim.deaths.best, claim.deaths.low, claim.deaths.high, claim.deaths.qualifier, claim.deaths.text)}` : null,
    claim.injuries?.best != null
      ? `injured: ${tollText(claim.injuries.best, claim.injuries.low, claim.injuries.high, claim.injuries.qualifier, claim.injuries.text)}`
      : null,
  ].filter(Boolean);
  return `${claim.claimant ? `${claim.claimant.name}: ` : ""}${claim.statement}${figures.length ? ` (${figures.join("; ")})` : ""}`;
}

function timelineJsEvent({ event, participants, sources, location, claims }: Enriched) {
  const details = [
    event.summary,
    location ? `Where: ${location.name}` : null,
    participants.length ? `Who: ${participants.map(({ role, participant }) => `${participant.slug} (${role.toLowerCase()})`).join(", ")}` : null,
    // Escaped once, with the other lines, below.
    event.fatalities != null ? `Killed: ${tollText(event.fatalities, event.deathsLow, event.deathsHigh, event.deathsQualifier, event.deathsText)}` : null,
    event.injured != null ? `Injured: ${tollText(event.injured, event.injuriesLow, event.injuriesHigh, event.injuriesQualifier, event.injuriesText)}` : null,
    ...claims.map((claim) => `Claim: ${claimText(claim)}`),
  ].filter(Boolean) as string[];
  const links = sources.map((source) => `<a href="${escapeHtml(source.url)}">${escapeHtml(source.publisher ?? source.title)}</a>`);
  return {
    unique_id: `event-${event.id}`,
    ...timelineJsDates(event),
    text: {
      headline: escapeHtml(event.title) + (event.status === "PLANNED" ? " (planned)" : ""),
      text: [...details.map((line) => `<p>${escapeHtml(line)}</p>`), ...(links.length ? [`<p>Sources: ${links.join(", ")}</p>`] : [])].join(""),
    },
    group: event.category,
  };
}

// TimelineJS renders headline and text as HTML: everything from the data is escaped.
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
