import { EventCategory, EventStatus, ParticipantRole } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import { parsePartialDate } from "../common/partial-date";
import { DateMatch, SortOrder, type TimelineFilter } from "../events/event-filter.input";

type Query = Record<string, unknown>;

const KNOWN = new Set([
  "from", "to", "dateMatch", "categories", "participants", "roles", "locations", "near", "box", "minFatalities", "search", "statuses", "order",
]);

/**
 * The TimelineFilter fields as URL query parameters, checked as the GraphQL API checks them.
 * Lists may be repeated (`categories=A&categories=B`) or comma-separated (`categories=A,B`);
 * `near` is `latitude,longitude,radiusKm` and `box` is `south,west,north,east`.
 */
export function filterFromQuery(query: Query): { filter: TimelineFilter; order: SortOrder } {
  const unknown = Object.keys(query).filter((key) => !KNOWN.has(key));
  if (unknown.length) throw badUserInput(`unknown parameter ${unknown.map((k) => `"${k}"`).join(", ")}`);
  const filter: TimelineFilter = {
    from: single(query, "from") === undefined ? null : parsePartialDate(single(query, "from"), "from"),
    to: single(query, "to") === undefined ? null : parsePartialDate(single(query, "to"), "to"),
    categories: enumList(query, "categories", EventCategory),
    statuses: enumList(query, "statuses", EventStatus),
    dateMatch: enumValue(query, "dateMatch", DateMatch),
    participants: list(query, "participants"),
    roles: enumList(query, "roles", ParticipantRole),
    locations: list(query, "locations"),
    near: numbers(query, "near", ["latitude", "longitude", "radiusKm"]),
    box: numbers(query, "box", ["south", "west", "north", "east"]),
    minFatalities: integer(query, "minFatalities"),
    search: single(query, "search") ?? null,
  };
  const order = single(query, "order") ?? "ASC";
  if (order !== "ASC" && order !== "DESC") throw badUserInput(`order must be ASC or DESC, got "${order}"`, "order");
  return { filter, order: order as SortOrder };
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw badUserInput(`${name} must be given once`, name);
  return value;
}

function list(query: Query, name: string): string[] | null {
  const value = query[name];
  if (value === undefined) return null;
  const values = (Array.isArray(value) ? value : [value]).flatMap((item) => {
    if (typeof item !== "string") throw badUserInput(`${name} must be a list of values`, name);
    return item.split(",");
  });
  return values.map((item) => item.trim()).filter(Boolean);
}

function enumList<T extends string>(query: Query, name: string, values: Record<string, T>): T[] | null {
  const items = list(query, name);
  if (!items) return null;
  const allowed = Object.values(values);
  const bad = items.filter((item) => !allowed.includes(item as T));
  if (bad.length) throw badUserInput(`${name}: unknown value ${bad.map((b) => `"${b}"`).join(", ")} (one of ${allowed.join(", ")})`, name);
  return items as T[];
}

/** Comma-separated numbers named by `names`, in that order (checked further as the API checks them). */
function numbers<K extends string>(query: Query, name: string, names: readonly K[]): Record<K, number> | null {
  const value = single(query, name);
  if (value === undefined) return null;
  const parts = value.split(",").map((part) => part.trim());
  if (parts.length !== names.length || parts.some((part) => !/^-?\d+(\.\d+)?$/.test(part))) {
    throw badUserInput(`${name} must be ${names.join(",")}, got "${value}"`, name);
  }
  return Object.fromEntries(names.map((key, i) => [key, Number(parts[i])])) as Record<K, number>;
}

function enumValue<T extends string>(query: Query, name: string, values: Record<string, T>): T | null {
  const value = single(query, name);
  if (value === undefined) return null;
  const allowed = Object.values(values);
  if (!allowed.includes(value as T)) throw badUserInput(`${name}: unknown value "${value}" (one of ${allowed.join(", ")})`, name);
  return value as T;
}

function integer(query: Query, name: string): number | null {
  const value = single(query, name);
  if (value === undefined) return null;
  if (!/^-?\d{1,9}$/.test(value)) throw badUserInput(`${name} must be a whole number, got "${value}"`, name);
  return Number(value);
}
