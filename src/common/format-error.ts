import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import { ErrorCode, isExpectedError } from "./errors";

// Apollo's own codes for requests the client got wrong: their messages are safe to show.
const CLIENT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

/**
 * The one place errors are shaped for clients: expected errors keep their message and code,
 * anything else is logged in full and masked, so no SQL, stack or internal detail leaks.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isExpectedError(original)) {
      return { ...formatted, message: original.message, extensions: { ...original.extensions } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && CLIENT_CODES.has(code)) {
      // A PartialDate literal that fails to parse surfaces as a validation error; it is bad input all the same.
      const cause = error instanceof GraphQLError ? error.originalError : undefined;
      if (cause instanceof GraphQLError && cause.extensions?.code === ErrorCode.BAD_USER_INPUT) {
        return { ...formatted, extensions: { ...formatted.extensions, ...cause.extensions } };
      }
      return formatted;
    }
    log.error({ err: original }, "unexpected error while resolving a request");
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
