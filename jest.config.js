/** Integration tests through the GraphQL API on a real database: see tests/support/. */
const swc = {
  jsc: {
    parser: { syntax: "typescript", decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: "es2022",
    keepClassNames: true,
  },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", swc] },
  globalSetup: "<rootDir>/tests/support/global-setup.ts",
  globalTeardown: "<rootDir>/tests/support/global-teardown.ts",
  setupFiles: ["reflect-metadata"],
  // Generous for slow CI machines (see tests/support/patience.ts); a hung test still fails.
  testTimeout: 180_000,
  // Two cores: one worker per core; each test file gets a database of its own.
  maxWorkers: 2,
};
