import { Prisma } from "../generated/prisma/client";
import type { DatePrecision, EventCategory, EventStatus } from "../generated/prisma/enums";
import { jsonInstant } from "../common/json-sql";
import type { Location } from "../locations/location.type";
import type { ParticipantOfEvent } from "../participants/participant.service";
import type { Source } from "../sources/source.type";

// The one definition of an event's columns as the API's Event type names them, for every query
// that reads one: Prisma's select, raw SQL, and JSON built in SQL.

/** An event row as the API serves it; what Prisma's findMany and the raw timeline SQL both return. */
export interface EventRow {
  id: number;
  title: string;
  summary: string | null;
  occurredAt: Date;
  precision: DatePrecision;
  category: EventCategory;
  status: EventStatus;
  fatalities: number | null;
  injured: number | null;
  locationId: number | null;
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

/** The columns of EventRow for raw SQL over an `events` row named `alias`. */
export function eventColumns(alias: string): Prisma.Sql {
  const e = Prisma.raw(alias);
  return Prisma.sql`${e}.id, ${e}.title, ${e}.summary, ${e}.occurred_at AS "occurredAt", ${e}.precision,
    ${e}.category, ${e}.status, ${e}.fatalities, ${e}.injured, ${e}.location_id AS "locationId"`;
}

/**
 * The key/value arguments of json_build_object for an event, from a row `alias` with the columns
 * of eventColumns; decode the object with eventsFromJson.
 */
export function eventJsonFields(alias: string): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  return Prisma.sql`'id', ${column("id")}, 'title', ${column("title")}, 'summary', ${column("summary")},
    'occurredAt', ${jsonInstant(column("occurredAt"))}, 'precision', ${column("precision")},
    'category', ${column("category")}, 'status', ${column("status")}, 'fatalities', ${column("fatalities")},
    'injured', ${column("injured")}, 'locationId', ${column("locationId")}`;
}

export type EventJson = Omit<EventRow, "occurredAt"> & { occurredAt: number };

/** Turns the instants of events read as JSON back into Dates. */
export const eventsFromJson = <T extends EventJson>(list: readonly T[]): Array<Omit<T, "occurredAt"> & { occurredAt: Date }> =>
  list.map((event) => ({ ...event, occurredAt: new Date(event.occurredAt) }));

export const eventSelect = {
  id: true,
  title: true,
  summary: true,
  occurredAt: true,
  precision: true,
  category: true,
  status: true,
  fatalities: true,
  injured: true,
  locationId: true,
} satisfies Prisma.EventSelect;

