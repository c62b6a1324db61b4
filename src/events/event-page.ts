import type DataLoader from "dataloader";
import type { GraphQLResolveInfo } from "graphql";
import type { PageArgs } from "../common/connection";
import type { ResolveTree } from "graphql-parse-resolve-info";
import { resolveTree, selectedFields } from "../common/selection";
import type { Context } from "../context";
import { EventConnection } from "./event.type";
import type { EventCriteria } from "./event-criteria";
import type { SortOrder } from "./event-filter.input";
import type { PageRelations, PageRow } from "./event-list.service";
import { eventColumnsFor, type EventRow } from "./event.columns";
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
 * the row). Causes read with some of their columns only are not handed on: elsewhere in the
 * request the same causes may be asked for other fields.
 */
export function primePage(loaders: PageLoaders, rows: readonly PageRow[], relations: PageRelations): void {
  const wholeCauses = !relations.causeColumns;
  for (const row of rows) {
    if (row.location) loaders.location.prime(row.location.id, row.location);
    if (row.participants) loaders.eventParticipants.prime(row.id, row.participants);
    if (row.sources) loaders.eventSources.prime(row.id, row.sources);
    if (row.causes && wholeCauses) loaders.eventCauses.prime(row.id, row.causes);
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
  const causes = selectedFields(nodes, "Event", "causes");
  return {
    participants: has("participants"),
    sources: has("sources"),
    causes: causes.length > 0,
    columns: eventColumnsFor(fieldNames(nodes)),
    causeColumns: causes.length ? eventColumnsFor(fieldNames(causes)) : undefined,
  };
}

/** The names of the Event fields selected under `trees`, under any alias. */
const fieldNames = (trees: readonly ResolveTree[]) => trees.flatMap((tree) => Object.values(tree.fieldsByTypeName.Event ?? {}).map((field) => field.name));

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
  const relations = requestedPageRelations(info);
  const page = await services.eventLists.page(criteria, order, args, relations);
  primePage(loaders, page.nodes, relations);
  return new EventConnection(page);
}
