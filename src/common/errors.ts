import { GraphQLError } from "graphql";

/** Stable codes a client can branch on; they travel in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** A request that is not even GraphQL: a body over the limit, JSON that does not parse. */
  BAD_REQUEST: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  /** A write made against a version of the data that is no longer current (updateEvent's expectedVersion). */
  CONFLICT: "CONFLICT",
  /** A change-feed cursor from before where the log was pruned: the client must resync. */
  CURSOR_EXPIRED: "CURSOR_EXPIRED",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  RATE_LIMITED: "RATE_LIMITED",
  /** A socket or client holds as many live subscriptions as it may (MAX_SUBSCRIPTIONS_PER_SOCKET / _PER_CLIENT). */
  TOO_MANY_SUBSCRIPTIONS: "TOO_MANY_SUBSCRIPTIONS",
  TIMEOUT: "TIMEOUT",
  /** Apollo's code for an operation refused before it runs: depth, aliases, directives, cost. */
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  /** The service cannot answer now (its pages are not built, its database is unreachable): try again later. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The client sent something we cannot accept; `field` names the argument or input field at fault. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

/** Errors whose message is meant for the client; anything else is masked. */
export function isExpectedError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  const code = error.extensions?.code;
  return typeof code === "string" && code !== ErrorCode.INTERNAL_SERVER_ERROR;
}
