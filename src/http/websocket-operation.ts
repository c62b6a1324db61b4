import {
  getOperationAST,
  getVariableValues,
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
import { ErrorCode } from "../common/errors";
import type { PendingOperation } from "../security/operation-gate";

/** What the HTTP endpoint refuses before executing anything; a socket must refuse the same. */
export interface OperationLimits {
  /** Rules beyond graphql-js's own: graphql-armor's depth, alias and directive limits. */
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
export function prepareOperation(schema: GraphQLSchema, payload: SubscribePayload, limits: OperationLimits): ExecutionArgs | GraphQLError[] {
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
  // Variables that do not fit their types are the client's error, as over HTTP (Apollo answers
  // them 400 BAD_USER_INPUT); execution would report them without a code, masked as internal.
  const operation = getOperationAST(document, payload.operationName);
  const coerced = operation ? getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}) : null;
  if (coerced?.errors?.length) return coerced.errors.map((error) => withCode(error, ErrorCode.BAD_USER_INPUT));
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
