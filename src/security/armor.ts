import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { SecurityConfig } from "../config";

/**
 * graphql-armor's limits on what one operation may ask (depth, aliases, directives, cost),
 * enforced as validation rules, so a refused operation is HTTP 400 and executes nothing.
 * Its token limit is left off: on Apollo 5 it turns syntax errors into HTTP 500, so tokens are
 * capped by Apollo's own parser (`parseOptions.maxTokens`) instead.
 */
export function armorProtection(config: SecurityConfig) {
  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth, exposeLimits: true, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: config.maxAliases, exposeLimits: true, allowList: [] },
    maxDirectives: { n: config.maxDirectives, exposeLimits: true },
    costLimit: { maxCost: config.maxCost, exposeLimits: true, ignoreIntrospection: true },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins, validationRules };
}
