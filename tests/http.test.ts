import pino from "pino";
import { openDatabase } from "../src/db/database";
import { createServer, type TimelineServer } from "../src/server";
import { json, postGraphQL } from "./support/http";
import { startTestApp, type TestApp } from "./support/test-app";

let app: TestApp;
let base: string;

beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

const post = (body: unknown, headers: Record<string, string> = {}) => postGraphQL(base, body, headers);

describe("over HTTP", () => {
  it("serves GraphQL at /graphql with a request id", async () => {
    const response = await post({ query: "{ timeline(first: 1) { totalCount edges { node { title } } } }" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = await json(response);
    expect(body.data.timeline.edges).toHaveLength(1);
    expect(body.data.timeline.totalCount).toBeGreaterThan(1);
  });

  it("reports a healthy database at /health", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ status: "ok", database: { ok: true, kind: app.db.kind } });
  });

  it("refuses a query that does not parse with GRAPHQL_PARSE_FAILED and HTTP 400", async () => {
    const response = await post({ query: "{ timeline(first: 1 { totalCount } }" });
    expect(response.status).toBe(400);
    expect((await json(response)).errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("refuses an unknown field with GRAPHQL_VALIDATION_FAILED", async () => {
    const response = await post({ query: "{ timeline { nope } }" });
    expect(response.status).toBe(400);
    expect((await json(response)).errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("calls a malformed PartialDate bad user input, inline or as a variable", async () => {
    const inline = await json(await post({ query: '{ timeline(filter: { from: "2024-02-30" }) { totalCount } }' }));
    expect(inline.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(inline.errors[0].message).toMatch(/2024-02-30/);
    const variable = await json(
      await post({
        query: "query($f: TimelineFilter) { timeline(filter: $f) { totalCount } }",
        variables: { f: { to: "next week" } },
      })
    );
    expect(variable.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(variable.errors[0].message).toMatch(/next week/);
  });

  it("refuses a cross-site form post (CSRF prevention)", async () => {
    const response = await fetch(`${base}/graphql?query=${encodeURIComponent("{ timeline { totalCount } }")}`, {
      headers: { "content-type": "text/plain" },
    });
    expect(response.status).toBe(400);
  });
});

describe("with the database unreachable", () => {
  let server: TimelineServer;
  let downBase: string;
  const logged: unknown[] = [];

  beforeAll(async () => {
    // A real driver pointed at a port where nothing listens: every statement fails to connect.
    const db = await openDatabase({ kind: "server", url: "postgres://postgres@127.0.0.1:1/unreachable" });
    const log = pino({ level: "warn" }, { write: (line: string) => logged.push(JSON.parse(line)) });
    server = await createServer({ db, log });
    const address = await server.listen(0, "127.0.0.1");
    downBase = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => server.stop());

  it("answers /health with 503", async () => {
    const response = await fetch(`${downBase}/health`);
    expect(response.status).toBe(503);
    expect(await json(response)).toMatchObject({ status: "unavailable", database: { ok: false } });
  });

  it("answers 503 SERVICE_UNAVAILABLE with Retry-After, masks the cause, and logs the outage once", async () => {
    const ask = () =>
      fetch(`${downBase}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ timeline { totalCount } }" }),
      });
    for (let i = 0; i < 3; i++) {
      const response = await ask();
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      const body = await json(response);
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^The database could not be reached; try again in 5 s\. A write cut off this way may have been stored/),
          extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: 5, requestId: response.headers.get("x-request-id") },
        }),
      ]);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|prisma|SELECT/i);
    }
    // One warning, with the cause in full, for the whole outage; no error per request.
    expect(logged.filter((line) => (line as { msg: string }).msg.startsWith("database unreachable"))).toHaveLength(1);
    expect(logged.filter((line) => (line as { level: number }).level >= 50)).toEqual([]);
    expect(JSON.stringify(logged)).toMatch(/Can't reach database server/);
  });
});
