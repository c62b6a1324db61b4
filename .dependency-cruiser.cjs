// The layers of src/ (README, "Architecture"), enforced on every import: `npm run lint:layers`,
// and tests/architecture.test.ts runs it with the suite.
//
//   entry     index.ts server.ts services.ts schema.ts config.ts logger.ts context.ts http/ security/ startup/
//   features  timeline/ stats/ ingest/ live/ exports/ drafts/
//   domain    events/ participants/ locations/ sources/ changes/
//   base      common/ db/ generated/ types/
//
// A layer imports the layers below it. The one way up: a resolver's `import type { Context }`
// from context.ts, the per-request types every resolver is handed (type-only, erased at run time).
const ENTRY = "^src/(index|server|services|schema|config|logger|context)\\.ts$|^src/(http|security|startup)/";
const FEATURES = "^src/(timeline|stats|ingest|live|exports|drafts)/";
const DOMAIN = "^src/(events|participants|locations|sources|changes)/";
const BASE = "^src/(common|db|generated|types)/";
const CONTEXT = "^src/context\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules that import each other, directly or not (type-only imports included).",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "base-knows-no-app",
      severity: "error",
      comment: "common/ and db/ are what any layer builds on: they import nothing above them, nor the seed.",
      from: { path: BASE },
      to: { path: `${ENTRY}|${FEATURES}|${DOMAIN}|^seed/|^scripts/` },
    },
    {
      name: "domain-knows-no-features",
      severity: "error",
      comment: "The domain (entities and the shared event filter) is used by features, not the other way round.",
      from: { path: DOMAIN },
      to: { path: `${ENTRY}|${FEATURES}|^seed/|^scripts/`, pathNot: CONTEXT },
    },
    {
      name: "features-know-no-entry",
      severity: "error",
      comment: "Features are served by the entry layer (HTTP, GraphQL, process); they do not reach up into it.",
      from: { path: FEATURES },
      to: { path: `${ENTRY}|^seed/|^scripts/`, pathNot: CONTEXT },
    },
    {
      name: "context-only-as-types",
      severity: "error",
      comment: "Below the entry layer, context.ts is imported for its types only.",
      from: { path: `${FEATURES}|${DOMAIN}|${BASE}` },
      to: { path: CONTEXT, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
