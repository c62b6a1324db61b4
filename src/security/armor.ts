import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode } from "../common/errors";
import type { SecurityConfig } from "../config";

/**
 * graphql-armor's limits on the shape of one operation (depth, aliases, directives), enforced as
 * validation rules, so a refused operation is HTTP 400 and executes nothing. Its token limit is
 * left off: on Apollo 5 it turns syntax errors into HTTP 500, so tokens are capped by Apollo's own
 * parser (`parseOptions.maxTokens`) instead. Its cost limit is left off too: it counts a field
 * 1.5 times more at each level and ignores page sizes given as variables; the cost that is
 * limited is the one the rate limit charges (OperationGate), which follows the pages asked for.
 */
export function armorProtection(config: SecurityConfig) {
  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth, exposeLimits: true, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: config.maxAliases, exposeLimits: true, allowList: [] },
    maxDirectives: { n: config.maxDirectives, exposeLimits: true },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins, validationRules };
}

const ARMOR_REFUSAL = /^Syntax Error: ((?:Query depth|Aliases|Directives) limit of \d+ exceeded.*)$/;

/**
 * graphql-armor words its refusals (depth, aliases, directives) as syntax errors with the code
 * BAD_USER_INPUT; the query parsed, and failed validation like any other over a limit. The
 * refusal as it should read, or null for any other error.
 */
export function rewordArmorRefusal(formatted: GraphQLFormattedError): GraphQLFormattedError | null {
  const refusal = ARMOR_REFUSAL.exec(formatted.message);
  if (!refusal) return null;
  return { ...formatted, message: refusal[1], extensions: { ...formatted.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED } };
}
