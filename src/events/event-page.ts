import type DataLoader from "dataloader";
import type { GraphQLResolveInfo } from "graphql";
import type { PageArgs } from "../common/connection";
import { resolveTree, selectedFields } from "../common/selection";
import type { Context } from "../context";
import { EventConnection } from "./event.type";
import type { EventCriteria } from "./event-criteria";
import type { SortOrder } from "./event-filter.input";
import type { PageRelations, PageRow } from "./event-list.service";
import type { EventRow } from "./event.columns";
import type { Location } from "../locations/location.type";
import type { ParticipantOfEvent } from "../participants/participant.service";
import type { Source } from "../sources/source.type";

/** The request's loaders a page primes. */
export interface PageLoaders {
  location: DataLoader<number, Location | null>;
  eventParticipants: DataLoader<number, ParticipantOfEvent[]>;
  eventSources: DataLoader<number, Source[]>;
  eventCauses: DataLoader<number, EventRow[]>;
}

/**
 * Hands what a page read with its events to the request's loaders, for the other places the
 * request meets the same events and places (EventResolver serves a page row's own lists from
 * the row).
 */
export function primePage(loaders: PageLoaders, rows: readonly PageRow[]): void {
  for (const row of rows) {
    if (row.location) loaders.location.prime(row.location.id, row.location);
    if (row.participants) loaders.eventParticipants.prime(row.id, row.participants);
    if (row.sources) loaders.eventSources.prime(row.id, row.sources);
    if (row.causes) loaders.eventCauses.prime(row.id, row.causes);
  }
}

/**
 * Which of an event page's lists the request selects under edges.node (fragments, aliases and
 * @skip/@include resolved), so that the page statement reads those and no others.
 */
export function requestedPageRelations(info: GraphQLResolveInfo): PageRelations {
  const root = resolveTree(info);
  if (!root) return {};
  const nodes = selectedFields(selectedFields([root], "EventConnection", "edges"), "EventEdge", "node");
  const has = (field: string) => selectedFields(nodes, "Event", field).length > 0;
  return { participants: has("participants"), sources: has("sources"), causes: has("causes") };
}

/**
 * A page of events as timeline, Participant.events and Location.events serve it: the lists the
 * request selects read in the page's statement, and what it read handed to the request's loaders.
 */
export async function eventPage(
  { services, loaders }: Context,
  info: GraphQLResolveInfo,
  criteria: EventCriteria,
  order: SortOrder,
  args: PageArgs,
): Promise<EventConnection> {
  const page = await services.eventLists.page(criteria, order, args, requestedPageRelations(info));
  primePage(loaders, page.nodes);
  return new EventConnection(page);
}
