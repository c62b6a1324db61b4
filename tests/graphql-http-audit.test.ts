import { auditServer } from "graphql-http";
import { startTestApp, type TestApp } from "./support/test-app";

// The GraphQL-over-HTTP spec's own audits (graphql-http), run against the live server.
// SHOULD-level warnings we keep are listed in the README's Security section, with why.
const KNOWN_WARNINGS = [
  // For clients that accept only application/json the spec recommends 200 even when the
  // document does not parse or validate, or its variables do not coerce. We answer 400, as
  // Apollo does: a refused request (including every limit) is a 4xx that proxies, logs and
  // clients' retry logic all understand.
  /^SHOULD use 200 status code on document parsing failure when accepting application\/json$/,
  /^SHOULD use 200 status code on document validation failure when accepting application\/json$/,
  /^SHOULD use a status code of 200 on variable coercion failure when accepting application\/json$/,
];

let app: TestApp;
let url: string;
beforeAll(async () => {
  app = await startTestApp();
  url = `${await app.listen()}/graphql`;
});
afterAll(() => app.close());

describe("graphql-http server audits", () => {
  it("report no MUST failure", async () => {
    const results = await auditServer({ url, fetchFn: fetch });
    const failures = results.filter((result) => result.status === "error");
    expect(failures.map((failure) => `${failure.id} ${failure.name}: ${"reason" in failure ? failure.reason : ""}`)).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
  });

  it("warn only where the README says why", async () => {
    const results = await auditServer({ url, fetchFn: fetch });
    const unexplained = results.filter(
      (result) => result.status === "warn" && !KNOWN_WARNINGS.some((pattern) => pattern.test(result.name)),
    );
    expect(unexplained.map((result) => result.name)).toEqual([]);
  });
});
