import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import { clientErrorFromDatabase } from "./database-errors";
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
 * The one place errors are shaped for clients: expected errors keep their message and code,
 * anything else is logged in full and masked, so no SQL, stack or internal detail leaks.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
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
