import type { GraphQLResolveInfo } from "graphql";
import { resolveTree, selectedFields } from "../common/selection";
import type { PageRelations } from "./timeline.service";

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
