import { getOperationAST, getVariableValues, type DocumentNode, type GraphQLSchema } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../common/connection";

// A paged field (one that takes `first`/`after`) is one statement for the page, and its children
// are served once per row it may return: `first`/`last` when given, the default page size
// otherwise. A list that is not paged (an event's participants, sources, causes) is read for the
// whole page at once, in the page's own statement or one batched statement, so it costs its
// children once. Scalars and objects cost one each: what the server serialises.
// A page size outside 1..MAX_PAGE_SIZE is refused by the field itself (BAD_USER_INPUT) before it
// reads anything, so no page costs more rows than the largest the server serves.
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : undefined;
  if (size === undefined && !("first" in args) && !("after" in args)) return undefined;
  return 1 + Math.min(MAX_PAGE_SIZE, Math.max(1, size ?? DEFAULT_PAGE_SIZE)) * childComplexity;
};

/** More nodes than any operation within the cost limit has; past it, the count stops and the operation is refused. */
const MAX_QUERY_NODES = 100_000;

/**
 * What an operation costs: the fields it selects, multiplied by the page sizes it asks for, with
 * fragments expanded. The one measure behind both the cost limit (MAX_COST) and the rate limit.
 * Null when the variables do not fit their declared types: execution refuses those with
 * BAD_USER_INPUT before any resolver runs, so there is nothing to charge.
 */
export function requestCost(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | null {
  const operation = getOperationAST(query, operationName);
  if (!operation) return null;
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors?.length) return null;
  try {
    return getComplexity({
      schema,
      query,
      variables,
      operationName,
      maxQueryNodes: MAX_QUERY_NODES,
      estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    if (/maximum allowed number of nodes/.test(String((error as Error)?.message))) return Number.POSITIVE_INFINITY;
    throw error;
  }
}
