import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import { clientErrorFromDatabase, isDatabaseUnavailable, unavailableMessage } from "./database-errors";
import { currentRequestId } from "./request-scope";
import { ErrorCode, isExpectedError } from "./errors";

// Apollo's own codes for requests the client got wrong: their messages are safe to show.
const CLIENT_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.BAD_REQUEST,
]);

/**
 * Told of each request that failed because the database could not be reached (the outage is
 * logged once, not per request), and how long to ask clients to wait.
 */
export interface UnavailableDatabase {
  failed(error: unknown): void;
  retryAfterSeconds: number;
}

export interface ErrorFormatting {
  unavailable: UnavailableDatabase;
  /** Puts right an error a library words wrongly (security/armor.ts): the error as it should read, or null. */
  reword?(formatted: GraphQLFormattedError): GraphQLFormattedError | null;
}

/**
 * The one place errors are shaped for clients: expected errors keep their message and code,
 * anything else is logged in full and masked, so no SQL, stack or internal detail leaks.
 */
export function createErrorFormatter(log: Logger, { unavailable, reword }: ErrorFormatting) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const reworded = reword?.(formatted);
    if (reworded) return reworded;
    const original = unwrapResolverError(error);
    // A PartialDate that fails to parse surfaces as a validation or variable error wrapping ours:
    // bad input all the same. graphql-js's message says where (the variable's path), so keep it.
    const cause = original instanceof GraphQLError ? original.originalError : undefined;
    if (isExpectedError(cause) && cause.extensions.code === ErrorCode.BAD_USER_INPUT) {
      return { ...formatted, extensions: clientExtensions(cause) };
    }
    if (isExpectedError(original)) {
      return { ...formatted, message: original.message, extensions: clientExtensions(original) };
    }
    if (isDatabaseUnavailable(original)) {
      unavailable.failed(original);
      return {
        message: unavailableMessage(unavailable.retryAfterSeconds),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfter: unavailable.retryAfterSeconds },
      };
    }
    const fromDatabase = clientErrorFromDatabase(original);
    if (fromDatabase) {
      log.info({ err: original, requestId: currentRequestId() }, "database refused a request");
      return { ...formatted, message: fromDatabase.message, extensions: clientExtensions(fromDatabase) };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && CLIENT_CODES.has(code)) return formatted;
    log.error({ err: original, requestId: currentRequestId() }, "unexpected error while resolving a request");
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** An error's extensions without Apollo's `http` instructions, which are for the server, not the client. */
function clientExtensions(error: GraphQLError): Record<string, unknown> {
  const { http: _http, ...extensions } = error.extensions;
  return extensions;
}
