import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import type { SubscribePayload } from "graphql-ws";
import type { PendingOperation } from "../security/operation-gate";

/** What the HTTP endpoint refuses before executing anything; a socket must refuse the same. */
export interface OperationLimits {
  /** Rules beyond graphql-js's own: graphql-armor's depth, alias, directive and cost limits. */
  validationRules?: readonly ValidationRule[];
  maxTokens?: number;
  /** When off, introspection is refused and "Did you mean …?" hints are dropped, as Apollo does. */
  introspection?: boolean;
  /** The cost and rate limits (OperationGate): an error refuses a valid operation. */
  admit?(operation: PendingOperation): GraphQLError | null;
}

/**
 * Parses and validates a socket's operation the way Apollo does an HTTP request's: the same
 * limits, and errors with the same codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED),
 * so the error formatter shows them to the client rather than masking them as internal.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  limits: OperationLimits,
  client: string,
): ExecutionArgs | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [withCode(error, "GRAPHQL_PARSE_FAILED")];
  }
  const hidden = limits.introspection === false;
  const rules = [...specifiedRules, ...(limits.validationRules ?? []), ...(hidden ? [NoSchemaIntrospectionCustomRule] : [])];
  const errors = validate(schema, document, rules);
  if (errors.length) {
    return errors.map((error) =>
      withCode(error, "GRAPHQL_VALIDATION_FAILED", hidden ? error.message.replace(/ ?Did you mean(.+?)\?$/, "") : error.message),
    );
  }
  const refusal = limits.admit?.({ document, variables: payload.variables ?? undefined, operationName: payload.operationName, client });
  if (refusal) return [refusal];
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
}

function withCode(error: GraphQLError, code: string, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
