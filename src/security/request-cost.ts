import { getOperationAST, getVariableValues, isListType, isNonNullType, type DocumentNode, type GraphQLSchema } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../common/connection";

// A paged field (one that takes `first`) is one statement for its page, and its children are
// served once per row it may return: `first`/`last` when given (at most MAX_PAGE_SIZE: a larger
// page is refused by the field before it reads anything), the default page size otherwise. A
// list that is not paged (an event's participants, sources, causes; an article's events) comes
// with its page or in one batched statement, but is served once per item: LIST_ITEMS stands for
// its length. Scalars and objects cost one each: what the server serialises.
const LIST_ITEMS = 3;

const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === "first")) return undefined;
  const size = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : DEFAULT_PAGE_SIZE;
  return 1 + Math.min(MAX_PAGE_SIZE, Math.max(1, size)) * childComplexity;
};

// A connection's `edges` are the page's rows, already counted by the page size.
const listEstimator: ComplexityEstimator = ({ type: parent, field, childComplexity }) => {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (!isListType(type) || childComplexity === 0 || parent.name.endsWith("Connection")) return undefined;
  return 1 + LIST_ITEMS * childComplexity;
};

/** More nodes than any operation within the cost limit has; past it, the count stops and the operation is refused. */
const MAX_QUERY_NODES = 100_000;

/**
 * What an operation costs: the fields it selects, multiplied by the page sizes it asks for and the
 * lists it expands, with fragments expanded. The one measure behind both the cost limit (MAX_COST) and the rate limit.
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
      estimators: [pageSizeEstimator, listEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    if (/maximum allowed number of nodes/.test(String((error as Error)?.message))) return Number.POSITIVE_INFINITY;
    throw error;
  }
}
