import type { GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";
import type { PageRelations } from "./timeline.service";

/** The fields selected at one step below `trees`, on `typeName`, under any alias and through any fragment. */
function selected(trees: readonly ResolveTree[], typeName: string, field: string): ResolveTree[] {
  return trees.flatMap((tree) => Object.values(tree.fieldsByTypeName[typeName] ?? {}).filter((child) => child.name === field));
}

/**
 * Which of an event page's lists the request selects under edges.node (fragments, aliases and
 * @skip/@include resolved), so that the page statement reads those and no others.
 */
export function requestedPageRelations(info: GraphQLResolveInfo): PageRelations {
  const root = parseResolveInfo(info) as ResolveTree | null | undefined;
  if (!root) return {};
  const nodes = selected(selected([root], "EventConnection", "edges"), "EventEdge", "node");
  const has = (field: string) => selected(nodes, "Event", field).length > 0;
  return { participants: has("participants"), sources: has("sources"), causes: has("causes") };
}
