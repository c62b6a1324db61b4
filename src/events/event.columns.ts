import type { DatePrecision, EventCategory, EventStatus, TollQualifier, WindowBound } from "../generated/prisma/enums";
import { columnSet } from "../common/columns";
import type { Location } from "../locations/location.type";
import type { ParticipantOfEvent } from "../participants/participant.service";
import type { Source } from "../sources/source.type";

/** An event row as the API serves it; what Prisma's findMany and the raw timeline SQL both return. */
export interface EventRow {
  id: number;
  title: string;
  summary: string | null;
  occurredAt: Date;
  precision: DatePrecision;
  category: EventCategory;
  status: EventStatus;
  /** The deaths' and injuries' best figures, and the rest of each toll. */
  fatalities: number | null;
  injured: number | null;
  deathsLow: number | null;
  deathsHigh: number | null;
  deathsQualifier: TollQualifier | null;
  deathsText: string | null;
  injuriesLow: number | null;
  injuriesHigh: number | null;
  injuriesQualifier: TollQualifier | null;
  injuriesText: string | null;
  locationId: number | null;
  /** The time window: earliest and latest possible start, and what set each. */
  earliest: Date;
  latest: Date;
  earliestBound: WindowBound;
  latestBound: WindowBound;
  /** Orders a cause before its effects when their windows start together. */
  causalDepth: number;
  /** 1 at creation, +1 with every change the change log records. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An event row with some of its relations read along with it (a timeline page reads them in
 * its own statement): EventResolver serves these as they are, and loads only what is missing.
 */
export interface EventWithRelations extends EventRow {
  location?: Location | null;
  participants?: ParticipantOfEvent[];
  sources?: Source[];
  causes?: EventRow[];
}

/** The columns that are instants: epoch milliseconds in JSON, Dates in rows. */
const INSTANTS = ["occurredAt", "earliest", "latest", "createdAt", "updatedAt"] as const;
type Instants = (typeof INSTANTS)[number];

/** An event's columns as the API's Event type names them (EventRow), for every query that reads one. */
export const EVENT = columnSet(
  {
    id: "id",
    title: "title",
    summary: "summary",
    occurredAt: "occurred_at",
    precision: "precision",
    category: "category",
    status: "status",
    fatalities: "fatalities",
    injured: "injured",
    deathsLow: "deaths_low",
    deathsHigh: "deaths_high",
    deathsQualifier: "deaths_qualifier",
    deathsText: "deaths_text",
    injuriesLow: "injuries_low",
    injuriesHigh: "injuries_high",
    injuriesQualifier: "injuries_qualifier",
    injuriesText: "injuries_text",
    locationId: "location_id",
    earliest: "earliest",
    latest: "latest",
    earliestBound: "earliest_bound",
    latestBound: "latest_bound",
    causalDepth: "causal_depth",
    version: "version",
    createdAt: "created_at",
    updatedAt: "updated_at",
  },
  INSTANTS,
);

export type EventColumn = keyof EventRow;

/**
 * The row columns each field of the API's Event reads (its own column, or what its field resolver
 * reads); the lists it loads by id read none. A page reads only what its request's fields need.
 */
const FIELD_COLUMNS: Readonly<Record<string, readonly EventColumn[]>> = {
  __typename: [],
  id: ["id"],
  title: ["title"],
  summary: ["summary"],
  occurredAt: ["occurredAt"],
  precision: ["precision"],
  category: ["category"],
  status: ["status"],
  fatalities: ["fatalities"],
  injured: ["injured"],
  version: ["version"],
  createdAt: ["createdAt"],
  updatedAt: ["updatedAt"],
  date: ["occurredAt", "precision"],
  timeWindow: ["earliest", "latest", "earliestBound", "latestBound"],
  deaths: ["fatalities", "deathsLow", "deathsHigh", "deathsQualifier", "deathsText"],
  injuries: ["injured", "injuriesLow", "injuriesHigh", "injuriesQualifier", "injuriesText"],
  location: ["locationId"],
  participants: [],
  sources: [],
  claims: [],
  revisions: [],
  causes: [],
  consequences: [],
};

/** Read whatever is selected: the id, and the position a page orders and resumes by. */
const KEY_COLUMNS: readonly EventColumn[] = ["id", "earliest", "causalDepth"];

/**
 * The columns the selected Event fields need (with the id and the time order's key), or
 * undefined, meaning all, when a field is not one FIELD_COLUMNS knows: a field added to Event
 * without its entry there is then served right, only not pruned.
 */
export function eventColumnsFor(fields: Iterable<string>): EventColumn[] | undefined {
  const columns = new Set<EventColumn>(KEY_COLUMNS);
  for (const field of fields) {
    const needs = FIELD_COLUMNS[field];
    if (!needs) return undefined;
    for (const column of needs) columns.add(column);
  }
  return [...columns];
}

export const eventSelect = EVENT.select;
export const eventColumns = EVENT.sql;
/** An `events` row named `alias` as a JSON object; read it back with eventsFromJson. */
export const eventJson = EVENT.json;

export type EventJson = Omit<EventRow, Instants> & Record<Instants, number>;

/** Turns the instants of events read as JSON back into Dates (those it holds: a page may read some columns only). */
export const eventsFromJson = <T extends EventJson>(list: readonly T[]): Array<Omit<T, Instants> & Record<Instants, Date>> =>
  list.map((event) => {
    const row: Record<string, unknown> = { ...event };
    for (const instant of INSTANTS) if (instant in event) row[instant] = new Date(event[instant]);
    return row as Omit<T, Instants> & Record<Instants, Date>;
  });
