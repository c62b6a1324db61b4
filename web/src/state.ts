import type { SortOrder } from "./types";

/** What the page shows: the TimelineFilter fields the page offers, and the order. */
export interface ViewState {
  search: string;
  from: string;
  to: string;
  categories: string[];
  participants: string[];
  locations: string[];
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

/** A PartialDate the page accepts as typed: a year, a month or a day. */
export const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export function emptyState(): ViewState {
  return { search: "", from: "", to: "", categories: [], participants: [], locations: [], order: "ASC" };
}

/**
 * Reads a view from a query string. The names are the TimelineFilter's, as /export takes
 * them; lists may repeat (`categories=A&categories=B`) or be comma-separated.
 */
export function parseState(query: string): ViewState {
  const params = new URLSearchParams(query);
  const list = (name: string) => [...new Set(params.getAll(name).flatMap((value) => value.split(",")).map((v) => v.trim()).filter(Boolean))];
  const date = (name: string) => {
    const value = params.get(name)?.trim() ?? "";
    return PARTIAL_DATE.test(value) ? value : "";
  };
  return {
    search: params.get("search")?.trim() ?? "",
    from: date("from"),
    to: date("to"),
    categories: list("categories").filter((c) => (CATEGORIES as readonly string[]).includes(c)),
    participants: list("participants"),
    locations: list("locations"),
    order: params.get("order") === "DESC" ? "DESC" : "ASC",
  };
}

/** The query string for a view: empty values left out, lists repeated, so links stay short. */
export function stateToQuery(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.search) params.set("search", state.search);
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  for (const category of state.categories) params.append("categories", category);
  for (const slug of state.participants) params.append("participants", slug);
  for (const slug of state.locations) params.append("locations", slug);
  if (state.order === "DESC") params.set("order", "DESC");
  const query = params.toString();
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
  if (state.locations.length) filter.locations = state.locations;
  return filter;
}
