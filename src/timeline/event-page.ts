import type { GraphQLResolveInfo } from "graphql";
import type { PageArgs } from "../common/connection";
import { resolveTree, selectedFields } from "../common/selection";
import type { Context } from "../context";
import { EventConnection } from "../events/event.type";
import type { EventCriteria } from "./timeline.criteria";
import type { SortOrder } from "./timeline.input";
import { primePage, type PageRelations } from "./timeline.service";

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
  const page = await services.timeline.page(criteria, order, args, requestedPageRelations(info));
  primePage(loaders, page.nodes);
  return new EventConnection(page);
}
