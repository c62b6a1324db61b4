import type { Client } from "pg";
import { parsePartialDate } from "../../src/common/partial-date";
import type { World } from "./dataset";
import type { PageCriteria } from "./page-sql";

export const PAGE_SIZE = 50;

/** What a timeline frontend asks for: a page without totalCount, each event with what it shows. */
export const PAGE_QUERY = `query Page($first: Int!, $after: String, $filter: TimelineFilter) {
  timeline(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id title summary date occurredAt category status fatalities injured
        timeWindow { earliest latest earliestBound latestBound }
        location { slug name kind }
        participants { role participant { slug name kind } }
        sources { url title publisher publishedAt }
        causes { id title date }
      }
    }
  }
}`;

export const DASHBOARD_QUERY = `query Dashboard($filter: TimelineFilter) {
  timelineStats(filter: $filter) {
    count fatalities injured
    buckets(interval: MONTH) { start count fatalities }
    topParticipants(limit: 10) { participant { slug name } count fatalities }
  }
}`;

/** The GraphQL filter (TimelineFilter) of a workload. */
export interface Filter {
  from?: string;
  to?: string;
  categories?: string[];
  participants?: string[];
  locations?: string[];
  near?: { latitude: number; longitude: number; radiusKm: number };
  minFatalities?: number;
}

export interface Workload {
  id: string;
  label: string;
  kind: "page" | "dashboard";
  filter: Filter;
  /** (g): walk this many pages of the filter first, then request pages at their cursors round-robin. */
  deepPages?: number;
}

/** The workloads over a data set: slugs and years picked from the generated world. */
export function workloads(world: World): Workload[] {
  const year = String(2015);
  const participant = world.participants[0].slug;
  const country = world.countries[world.countryRanks[2]].slug;
  const categories = ["ATTACK", "AIRSTRIKE"];
  const centre = world.countries[world.countryRanks[2]];
  return [
    { id: "a", label: "unfiltered", kind: "page", filter: {} },
    { id: "b", label: `one year (${year})`, kind: "page", filter: { from: year, to: year } },
    { id: "c", label: `frequent participant (${participant})`, kind: "page", filter: { participants: [participant] } },
    { id: "d", label: `country subtree (${country})`, kind: "page", filter: { locations: [country] } },
    { id: "e", label: `${categories.join("+")}, minFatalities 1`, kind: "page", filter: { categories, minFatalities: 1 } },
    {
      id: "f",
      label: "b + c + e",
      kind: "page",
      filter: { from: year, to: year, participants: [participant], categories, minFatalities: 1 },
    },
    { id: "g", label: "deep pages of (a), 200 cursors", kind: "page", filter: {}, deepPages: 200 },
    { id: "h", label: `dashboard: ${country}, 2016-2020`, kind: "dashboard", filter: { locations: [country], from: "2016", to: "2020" } },
    {
      id: "i",
      label: `within 300 km of ${country}'s centre`,
      kind: "page",
      filter: { near: { latitude: centre.latitude, longitude: centre.longitude, radiusKm: 300 } },
    },
  ];
}

/**
 * The same filter as the bound's criteria: partial dates turned into the instants the API uses,
 * slugs into ids (a location's with everything within it) with the queries the API runs.
 */
export async function criteriaOf(filter: Filter, client: Pick<Client, "query">): Promise<PageCriteria> {
  const participantIds = filter.participants?.length
    ? (await client.query<{ id: number }>("SELECT id FROM participants WHERE slug = ANY($1::text[])", [filter.participants])).rows
    : undefined;
  const locationIds = filter.locations?.length
    ? (
        await client.query<{ id: number }>(
          `WITH RECURSIVE subtree(id) AS (
             SELECT id FROM locations WHERE slug = ANY($1::text[])
             UNION SELECT l.id FROM locations l JOIN subtree s ON l.parent_id = s.id)
           SELECT id FROM subtree`,
          [filter.locations],
        )
      ).rows
    : undefined;
  // The places in the circle, resolved up front (as slugs are); every bench place has coordinates.
  const nearIds = filter.near
    ? (
        await client.query<{ id: number }>(
          `SELECT id FROM locations
           WHERE earth_distance(ll_to_earth($1::float8, $2::float8), ll_to_earth(latitude, longitude)) <= $3::float8`,
          [filter.near.latitude, filter.near.longitude, filter.near.radiusKm * 1000],
        )
      ).rows
    : undefined;
  return {
    from: filter.from ? parsePartialDate(filter.from).start : undefined,
    to: filter.to ? parsePartialDate(filter.to).end : undefined,
    categories: filter.categories,
    participantIds: participantIds?.map((row) => row.id),
    locationIds: (locationIds ?? nearIds)?.map((row) => row.id),
    minFatalities: filter.minFatalities,
  };
}
