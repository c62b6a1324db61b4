import { ingestArticle, uniqueTag } from "./factories";
import type { GraphQLResult, TestApp } from "./test-app";

/** The fields of an EventConnection that the timeline tests look at. */
export const EVENT_PAGE_FIELDS = `
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id occurredAt } }`;

export const TIMELINE_QUERY = `
  query Timeline($filter: TimelineFilter, $order: SortOrder, $first: Int, $after: String, $last: Int, $before: String) {
    timeline(filter: $filter, order: $order, first: $first, after: $after, last: $last, before: $before) {
      ${EVENT_PAGE_FIELDS}
    }
  }`;

export interface EventPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: { id: string; occurredAt: string } }>;
}

export interface TimelineVariables {
  filter?: Record<string, unknown>;
  order?: "ASC" | "DESC";
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** Runs the timeline query and returns its page; fails the test with the errors if there are any. */
export async function timelinePage(app: TestApp, variables: TimelineVariables): Promise<EventPage> {
  const result = await app.query<{ timeline: EventPage }>(TIMELINE_QUERY, { ...variables });
  if (result.errors?.length || !result.data) throw new Error(`timeline failed: ${JSON.stringify(result.errors)}`);
  return result.data.timeline;
}

/** The ids of a page's events, in the order served. */
export function idsOf(page: EventPage): string[] {
  return page.edges.map((edge) => edge.node.id);
}

/** Asserts a request failed with exactly one BAD_USER_INPUT error whose message contains each fragment. */
export function expectBadUserInput(result: GraphQLResult<unknown>, ...fragments: string[]): void {
  expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  for (const fragment of fragments) expect(result.errors![0].message).toContain(fragment);
}

/** A word of letters only (no digits for the text-search parser to split off), unique to the caller. */
export function uniqueWord(): string {
  return `zq${uniqueTag().replace(/[0-9]/g, (digit) => "ghijklmnop"[Number(digit)])}`;
}

/** One event of a scenario, as ArticleEventInput JSON; `key` doubles as the default title. */
export interface EventSpec {
  key: string;
  date: string;
  title?: string;
  summary?: string;
  category?: string;
  status?: string;
  fatalities?: number;
  /** A location slug; absent means the scenario's own place, null means no location. */
  location?: string | null;
  participants?: Array<{ participant: string; role: string }>;
}

export interface Scenario {
  tag: string;
  /** Slug of a COUNTRY made for this scenario: filtering by it sees only the scenario's events. */
  place: string;
  /** Event ids by key. */
  id: Record<string, string>;
  /** All the scenario's event ids in (occurredAt, id) order, sorted here, not by the server. */
  ordered: string[];
  /** The ids of these keys' events, in (occurredAt, id) order. */
  ids(keys: readonly string[]): string[];
}

/**
 * Ingests one article holding these events at a new, unique place (plus any extra locations
 * and participants, which may refer to `place`), and maps each event key to its id.
 */
export async function ingestScenario(
  app: TestApp,
  events: readonly EventSpec[],
  extra: { tag?: string; publishedAt?: string; locations?: Array<Record<string, unknown>>; participants?: Array<Record<string, unknown>> } = {},
): Promise<Scenario> {
  const tag = extra.tag ?? uniqueTag();
  const place = `place-${tag}`;
  const titleOf = (spec: EventSpec) => spec.title ?? `Event ${spec.key} ${tag}`;
  if (new Set(events.map(titleOf)).size !== events.length) throw new Error("ingestScenario needs unique titles");

  const result = await ingestArticle(app, {
    ...(extra.publishedAt ? { publishedAt: extra.publishedAt } : {}),
    locations: [{ slug: place, name: `Place ${tag}`, kind: "COUNTRY" }, ...(extra.locations ?? [])],
    participants: extra.participants ?? [],
    events: events.map(({ location, ...spec }) => ({
      category: "OTHER",
      ...spec,
      title: titleOf(spec),
      ...(location === null ? {} : { location: location ?? place }),
    })),
  });

  const id: Record<string, string> = {};
  for (const spec of events) {
    const row = result.events.find((event) => event.title === titleOf(spec));
    if (!row) throw new Error(`event ${spec.key} was not ingested`);
    id[spec.key] = String(row.id);
  }
  const ordered = [...result.events]
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id)
    .map((event) => String(event.id));
  return {
    tag,
    place,
    id,
    ordered,
    ids: (keys) => {
      const wanted = new Set(keys.map((key) => id[key]));
      return ordered.filter((eventId) => wanted.has(eventId));
    },
  };
}
