import type { DocumentNode, GraphQLSchema } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE } from "../common/connection";

// A list field costs its children once per item it may return: `first`/`last` when given, the
// default page size otherwise. That is what a client asks the database for.
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : undefined;
  if (size === undefined && !("first" in args) && !("after" in args)) return undefined;
  return 1 + Math.max(1, size ?? DEFAULT_PAGE_SIZE) * childComplexity;
};

/** The points an operation costs against a client's rate limit: fields, multiplied by page sizes. */
export function requestCost(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  return getComplexity({
    schema,
    query,
    variables,
    operationName,
    estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}
