import type { SortOrder } from "./types";

/** A great-circle radius around a point: the TimelineFilter's `near`. */
export interface Near {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

/** What the page shows: the TimelineFilter fields the page offers, and the order. */
export interface ViewState {
  search: string;
  from: string;
  to: string;
  categories: string[];
  participants: string[];
  roles: string[];
  locations: string[];
  near: Near | null;
  /** The slug of the place `near` was picked from: it only names the chip, the point is `near`'s. */
  nearPlace: string;
  order: SortOrder;
}

export const CATEGORIES = [
  "AIRSTRIKE",
  "ARMED_CLASH",
  "ATTACK",
  "EXPLOSION",
  "PROTEST",
  "RIOT",
  "DIPLOMACY",
  "STATEMENT",
  "LEGAL",
  "POLITICAL",
  "HUMANITARIAN",
  "OTHER",
] as const;

/** The ParticipantRole values, in the schema's order. */
export const ROLES = ["ACTOR", "TARGET", "VICTIM", "PARTICIPANT", "HOST", "MEDIATOR"] as const;

/** The radius a place is picked with until one is typed. */
export const DEFAULT_RADIUS_KM = 50;
/** The API's bounds for `near.radiusKm`: more than 0, at most this. */
export const MAX_RADIUS_KM = 20_000;

/** A PartialDate the page accepts as typed: a year, a month or a day. */
export const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** A number as /export reads one in `near`: no exponent, no leading "+" or ".". */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The page-only parameter naming `near`'s place. /export refuses parameters it does not know,
 * so download links leave it out (filterQuery).
 */
const NEAR_PLACE = "nearPlace";

export function emptyState(): ViewState {
  return { search: "", from: "", to: "", categories: [], participants: [], roles: [], locations: [], near: null, nearPlace: "", order: "ASC" };
}

/**
 * Reads a view from a query string. The names are the TimelineFilter's, as /export takes
 * them; lists may repeat (`categories=A&categories=B`) or be comma-separated. A value the API
 * would refuse (an unknown category or role, a point off the globe, a radius out of bounds) is
 * dropped here rather than sent: a hand-edited link still opens, a little wider.
 */
export function parseState(query: string): ViewState {
  const params = new URLSearchParams(query);
  const list = (name: string) => [...new Set(params.getAll(name).flatMap((value) => value.split(",")).map((v) => v.trim()).filter(Boolean))];
  const date = (name: string) => {
    const value = params.get(name)?.trim() ?? "";
    return PARTIAL_DATE.test(value) ? value : "";
  };
  const near = parseNear(params.get("near") ?? "");
  return {
    search: params.get("search")?.trim() ?? "",
    from: date("from"),
    to: date("to"),
    categories: list("categories").filter((c) => (CATEGORIES as readonly string[]).includes(c)),
    participants: list("participants"),
    roles: list("roles").filter((r) => (ROLES as readonly string[]).includes(r)),
    locations: list("locations"),
    near,
    // A name without its point would label nothing.
    nearPlace: near ? (params.get(NEAR_PLACE)?.trim() ?? "") : "",
    order: params.get("order") === "DESC" ? "DESC" : "ASC",
  };
}

/** `latitude,longitude,radiusKm` as /export takes it; null unless all three are there and in bounds. */
export function parseNear(value: string): Near | null {
  const parts = value.split(",").map((part) => part.trim());
  if (parts.length !== 3 || !parts.every((part) => DECIMAL.test(part))) return null;
  const [latitude, longitude, radiusKm] = parts.map(Number);
  const near = { latitude, longitude, radiusKm };
  return nearValid(near) ? near : null;
}

/** The API's checks on `near`: a point on the globe, a radius more than 0 and at most 20,000 km. */
export function nearValid({ latitude, longitude, radiusKm }: Near): boolean {
  return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 && radiusValid(radiusKm);
}

export function radiusValid(radiusKm: number): boolean {
  return Number.isFinite(radiusKm) && radiusKm > 0 && radiusKm <= MAX_RADIUS_KM;
}

/**
 * A number for the URL: at most 6 decimals (a tenth of a metre), trailing zeros dropped, and
 * never in exponent form, which /export would refuse ("1e-7"); the same point always reads the same.
 */
export function decimal(value: number): string {
  const rounded = Number(value.toFixed(6));
  return String(rounded === 0 ? 0 : rounded);
}

/** The query string for a view: empty values left out, lists repeated, so links stay short. */
export function stateToQuery(state: ViewState): string {
  const params = filterParams(state);
  if (state.near && state.nearPlace) params.set(NEAR_PLACE, state.nearPlace);
  return asQuery(params);
}

/** The view's query string as /export takes it: the page's, less the place's slug that only names a chip. */
export function filterQuery(state: ViewState): string {
  return asQuery(filterParams(state));
}

function filterParams(state: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.search) params.set("search", state.search);
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  for (const category of state.categories) params.append("categories", category);
  for (const slug of state.participants) params.append("participants", slug);
  for (const role of state.roles) params.append("roles", role);
  for (const slug of state.locations) params.append("locations", slug);
  if (state.near) params.set("near", [state.near.latitude, state.near.longitude, state.near.radiusKm].map(decimal).join(","));
  if (state.order === "DESC") params.set("order", "DESC");
  return params;
}

function asQuery(params: URLSearchParams): string {
  // `near=33.6844,73.0479,50` stays readable: URLSearchParams would write its commas as %2C.
  const query = params.toString().replace(/(^|&)near=[^&]*/, (near) => near.replace(/%2C/g, ","));
  return query ? `?${query}` : "";
}

/** The TimelineFilter for a view; unset fields are left out. */
export function toFilter(state: ViewState): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (state.search) filter.search = state.search;
  if (state.from) filter.from = state.from;
  if (state.to) filter.to = state.to;
  if (state.categories.length) filter.categories = state.categories;
  if (state.participants.length) filter.participants = state.participants;
  if (state.roles.length) filter.roles = state.roles;
  if (state.locations.length) filter.locations = state.locations;
  if (state.near) filter.near = { ...state.near };
  return filter;
}

/** The chip for `near`: "within 50 km of Islamabad", or of the point while the name is unknown. */
export function nearLabel(near: Near, placeName?: string): string {
  const where = placeName || `${decimal(near.latitude)}, ${decimal(near.longitude)}`;
  return `within ${near.radiusKm.toLocaleString("en-GB", { maximumFractionDigits: 6 })} km of ${where}`;
}
