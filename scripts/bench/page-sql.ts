// The raw-SQL bound: one hand-written statement per page that returns what the GraphQL page
// returns (events with location, participants, sources and causes) as one JSON document. Run
// through `pg` with nothing in between, it is the rate the API could reach if GraphQL, HTTP and
// the ORM cost nothing. Slugs come resolved to ids (once, up front, as a cache would hold them):
// resolved inside the statement, the planner sees an unknown id list and, for a busy participant,
// gathers all its events and sorts them instead of walking the time index (50x slower measured).

import { LONGEST_PERIOD_MS, straddlingStarts } from "../../src/events/event-criteria";

export interface PageCriteria {
  /** Inclusive start of a period: events whose time window reaches this instant. */
  from?: Date;
  /** Exclusive end of a period: events whose time window starts before this instant. */
  to?: Date;
  categories?: string[];
  /** Ids of the filter's participant slugs. */
  participantIds?: number[];
  /** Ids of the filter's locations and everything within them. */
  locationIds?: number[];
  minFatalities?: number;
}

export interface BoundQuery {
  text: string;
  values: unknown[];
}

/** The statement for one page of `size` after the keyset position `after` ([earliest epoch ms, causal depth, id]). */
export function boundPageQuery(criteria: PageCriteria, size: number, after: [number, number, number] | null): BoundQuery {
  const values: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    values.push(value);
    return `$${values.length}::${cast}`;
  };
  const conditions: string[] = [];
  const straddling = criteria.from ? straddlingStarts(criteria.from) : [];
  if (criteria.from && !straddling.length) {
    // As the service does: at a year's start no window straddles `from`.
    conditions.push(`e.earliest >= ${param(criteria.from.toISOString(), "timestamptz")}`);
  } else if (criteria.from) {
    conditions.push(`e.latest >= ${param(criteria.from.toISOString(), "timestamptz")}`);
    // As the service does: implied by the line above, and a start for the time index.
    conditions.push(`e.earliest >= ${param(new Date(criteria.from.getTime() - LONGEST_PERIOD_MS).toISOString(), "timestamptz")}`);
  }
  if (criteria.to) conditions.push(`e.earliest < ${param(criteria.to.toISOString(), "timestamptz")}`);
  if (criteria.categories?.length) conditions.push(`e.category = ANY(${param(criteria.categories, `"EventCategory"[]`)})`);
  if (criteria.participantIds?.length) {
    conditions.push(`EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = e.id AND ep.participant_id = ANY(${param(criteria.participantIds, "int[]")}))`);
  }
  if (criteria.locationIds?.length) conditions.push(`e.location_id = ANY(${param(criteria.locationIds, "int[]")})`);
  if (criteria.minFatalities != null) conditions.push(`e.fatalities >= ${param(criteria.minFatalities, "int")}`);
  if (after) {
    conditions.push(
      `(e.earliest, e.causal_depth, e.id) > (${param(new Date(after[0]).toISOString(), "timestamptz")}, ${param(after[1], "int")}, ${param(after[2], "int")})`,
    );
  }
  const where = conditions.length ? conditions.join(" AND ") : "TRUE";
  const limit = param(size + 1, "int");
  const pageSize = param(size, "int");
  const ordered = (condition: string) => `SELECT * FROM events e WHERE ${condition} ORDER BY e.earliest, e.causal_depth, e.id LIMIT ${limit}`;
  // As the service does: windows starting from `from` on, and those straddling it, whose date's
  // period can only start at the start of from's year, month or day.
  const rows = criteria.from && straddling.length
    ? `(${ordered(`${where} AND e.earliest >= ${param(criteria.from.toISOString(), "timestamptz")}`)})
       UNION ALL
       (${ordered(`${where} AND e.earliest < ${param(criteria.from.toISOString(), "timestamptz")}
                   AND e.occurred_at = ANY(${param(straddling.map((d) => d.toISOString()), "timestamptz[]")})`)})`
    : ordered(where);
  const text = `
    WITH page AS (
      SELECT e.id, e.title, e.summary, e.occurred_at, e.precision, e.category, e.status, e.fatalities, e.injured, e.location_id,
             e.earliest, e.latest, e.earliest_bound, e.latest_bound,
             row_number() OVER (ORDER BY e.earliest, e.causal_depth, e.id) AS n
      FROM (SELECT * FROM (${rows}) e ORDER BY e.earliest, e.causal_depth, e.id LIMIT ${limit}) e
    )
    SELECT json_build_object(
      'hasNextPage', count(*) > ${pageSize},
      'nodes', coalesce(json_agg(json_build_object(
        'id', p.id, 'title', p.title, 'summary', p.summary, 'occurredAt', p.occurred_at, 'precision', p.precision,
        'category', p.category, 'status', p.status, 'fatalities', p.fatalities, 'injured', p.injured,
        'timeWindow', json_build_object('earliest', p.earliest, 'latest', p.latest, 'earliestBound', p.earliest_bound, 'latestBound', p.latest_bound),
        'location', (SELECT json_build_object('slug', l.slug, 'name', l.name, 'kind', l.kind) FROM locations l WHERE l.id = p.location_id),
        'participants', (SELECT coalesce(json_agg(json_build_object('role', ep.role,
                            'participant', json_build_object('slug', pa.slug, 'name', pa.name, 'kind', pa.kind)) ORDER BY ep.role, pa.name), '[]')
                         FROM event_participants ep JOIN participants pa ON pa.id = ep.participant_id WHERE ep.event_id = p.id),
        'sources', (SELECT coalesce(json_agg(json_build_object('url', s.url, 'title', s.title, 'publisher', s.publisher,
                       'publishedAt', s.published_at) ORDER BY s.published_at, s.id), '[]')
                    FROM event_sources es JOIN sources s ON s.id = es.source_id WHERE es.event_id = p.id),
        'causes', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'title', c.title, 'occurredAt', c.occurred_at,
                      'precision', c.precision) ORDER BY c.earliest, c.causal_depth, c.id), '[]')
                   FROM event_links el JOIN events c ON c.id = el.cause_id WHERE el.effect_id = p.id)
      ) ORDER BY p.n) FILTER (WHERE p.n <= ${pageSize}), '[]')
    ) AS page
    FROM page p`;
  return { text, values };
}

/** The page the bound returns, as parsed by pg. */
export interface BoundPage {
  hasNextPage: boolean;
  nodes: Array<{
    id: number;
    occurredAt: string;
    timeWindow: { earliest: string };
    location: { slug: string } | null;
    participants: Array<{ role: string; participant: { slug: string } }>;
    sources: Array<{ url: string }>;
    causes: Array<{ id: number }>;
  }>;
}
