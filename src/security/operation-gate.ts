import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import { ErrorCode } from "../common/errors";
import type { SecurityConfig } from "../config";
import type { Context } from "../context";
import type { RateLimiter } from "./rate-limit";
import { requestCost } from "./request-cost";

/** An operation as it is about to run: parsed, validated, its client known. */
export interface PendingOperation {
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  client: string;
}

/**
 * What an operation may cost, checked once it has parsed and validated and before it runs, over
 * HTTP and WebSocket alike: refused when its cost (requestCost) is over MAX_COST, then charged to
 * its client's rate limit when there is one.
 */
export class OperationGate {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxCost: number,
    private readonly limiter: RateLimiter | null,
    private readonly rateLimit: SecurityConfig["rateLimit"],
  ) {}

  /** Null when the operation may run; otherwise the error that refuses it. */
  admit(operation: PendingOperation): GraphQLError | null {
    return this.admitAt(operation, this.costOf(operation));
  }

  /** What the operation costs (requestCost); null when its variables do not coerce. */
  costOf(operation: Omit<PendingOperation, "client">): number | null {
    return requestCost(this.schema, operation.document, operation.variables ?? undefined, operation.operationName ?? undefined);
  }

  private admitAt(operation: PendingOperation, cost: number | null): GraphQLError | null {
    // Variables that do not coerce: execution refuses them before anything runs.
    if (cost === null) return null;
    if (cost > this.maxCost) {
      return new GraphQLError(
        `Query cost limit of ${this.maxCost} exceeded: this operation costs ${Number.isFinite(cost) ? cost : "more than can be counted"} ` +
          "(each field once per row its pages may return); ask for smaller pages or fewer nested lists",
        { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } } },
      );
    }
    if (!this.limiter) return null;
    if (cost > this.rateLimit.points) {
      // Waiting would never let it through: say so, rather than 429 with a Retry-After.
      return new GraphQLError(
        `This operation costs ${cost}, more than the rate limit's whole budget of ${this.rateLimit.points} points per ${this.rateLimit.windowMs / 1000} s; ask for smaller pages`,
        { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } } },
      );
    }
    const retryAfter = this.limiter.spend(operation.client, cost);
    if (retryAfter === 0) return null;
    const { points, windowMs } = this.rateLimit;
    return new GraphQLError(
      `Rate limit exceeded: this operation costs ${cost} of ${points} points per ${windowMs / 1000} s; retry after ${retryAfter} s`,
      {
        extensions: {
          code: ErrorCode.RATE_LIMITED,
          retryAfter,
          // Apollo reads a HeaderMap here; the typings claim a plain record.
          http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) as unknown as Record<string, string> },
        },
      },
    );
  }

  /** The gate for HTTP operations, before they execute. */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ contextValue, document, request, operationName }) => {
          const operation = { document, variables: request.variables, operationName, client: contextValue.client };
          const cost = this.costOf(operation);
          // The response cache charges what it sends again at this cost (src/http/response-cache.ts).
          if (contextValue.answerSlot) contextValue.answerSlot.cost = cost ?? 0;
          const refusal = this.admitAt(operation, cost);
          if (refusal) throw refusal;
        },
      }),
    };
  }
}
