import type { GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";

/**
 * The fields selected at one step below `trees`, on `typeName`, under any alias and through any
 * fragment (@skip and @include already applied).
 */
export function selectedFields(trees: readonly ResolveTree[], typeName: string, field: string): ResolveTree[] {
  return trees.flatMap((tree) => Object.values(tree.fieldsByTypeName[typeName] ?? {}).filter((child) => child.name === field));
}

/** The field being resolved, as a tree of what the request selects below it; null when it selects nothing. */
export function resolveTree(info: GraphQLResolveInfo): ResolveTree | null {
  return (parseResolveInfo(info) as ResolveTree | null | undefined) ?? null;
}

/** Whether the request selects any of `fields` directly under the field being resolved, of type `typeName`. */
export function selectsAny(info: GraphQLResolveInfo, typeName: string, fields: readonly string[]): boolean {
  const root = resolveTree(info);
  return root !== null && fields.some((field) => selectedFields([root], typeName, field).length > 0);
}
