/** Every operation the page sends: all of it public API, nothing the page could not ask as any client. */

const EVENT_FIELDS = /* GraphQL */ `
  fragment EventFields on Event {
    id
    title
    summary
    date
    precision
    occurredAt
    timeWindow { earliest latest earliestBound latestBound }
    category
    status
    fatalities
    injured
    deaths { ...TollFields }
    injuries { ...TollFields }
    claims { claimant { name } statement deaths { ...TollFields } injuries { ...TollFields } }
    location { slug name parent { name } }
    participants { role participant { slug name } }
    sources { url title publisher }
    causes { id title date precision }
    consequences { id title date precision }
  }
  fragment TollFields on Toll { low best high qualifier text }
`;

export const TIMELINE = /* GraphQL */ `
  query TimelinePage($filter: TimelineFilter, $order: SortOrder, $first: Int, $after: String) {
    timeline(filter: $filter, order: $order, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...EventFields } }
    }
  }
  ${EVENT_FIELDS}
`;

export const EVENT = /* GraphQL */ `
  query LinkedEvent($id: ID!) {
    event(id: $id) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

export const STATS = /* GraphQL */ `
  query Dashboard($filter: TimelineFilter) {
    timelineStats(filter: $filter) {
      count
      fatalities
      injured
      first
      last
      byCategory { category count fatalities }
      topParticipants(limit: 5) { participant { slug name } count fatalities }
    }
  }
`;

/** How many events two spans hold: the chart draws the fuller one when the data spans too long. */
export const SPAN_COUNTS = /* GraphQL */ `
  query Spans($head: TimelineFilter, $tail: TimelineFilter) {
    head: timelineStats(filter: $head) { count }
    tail: timelineStats(filter: $tail) { count }
  }
`;

/**
 * Buckets for the whole filter (the chart's axis) and for each category in it, as aliases
 * of one request: the contract's buckets are not split by category.
 */
export function bucketsQuery(categories: string[]): string {
  const variables = categories.map((_, i) => `$c${i}: TimelineFilter`).join(" ");
  const fields = categories.map((_, i) => `c${i}: timelineStats(filter: $c${i}) { buckets(interval: $interval) { start count } }`).join("\n");
  return `query DashboardBuckets($interval: Interval!, $all: TimelineFilter ${variables}) {
    all: timelineStats(filter: $all) { buckets(interval: $interval) { start count uncertain } }
    ${fields}
  }`;
}

export const PARTICIPANT_SEARCH = /* GraphQL */ `
  query ParticipantSearch($search: String) {
    participants(search: $search, first: 8) { edges { node { slug name kind } } }
  }
`;

/** Places by name, with their points for the distance filter (a place may have none). */
export const LOCATION_SEARCH = /* GraphQL */ `
  query LocationSearch($search: String) {
    locations(search: $search, first: 8) { edges { node { slug name kind latitude longitude parent { name } } } }
  }
`;

/** Names for the slugs a shared URL carries, one alias each. */
export function namesQuery(field: "participant" | "location", slugs: string[]): string {
  const variables = slugs.map((_, i) => `$s${i}: String!`).join(" ");
  const fields = slugs.map((_, i) => `s${i}: ${field}(slug: $s${i}) { slug name }`).join("\n");
  return `query Names(${variables}) { ${fields} }`;
}
