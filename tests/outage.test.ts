import pino from "pino";
import { fingerprint } from "./support/fingerprint";
import { json, postGraphQL } from "./support/http";
import { LogCapture } from "./support/live";
import { TcpProxy } from "./support/tcp-proxy";
import { startServerBeside, startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

// While the database cannot be reached, the service says so: HTTP 503 with Retry-After, code
// SERVICE_UNAVAILABLE, one warning in the log for the whole outage (not one stack trace per
// request), and no write half done. On a Postgres server the outage is real: the server's
// connections go through a proxy that the test cuts and restores. The embedded database has no
// connection to cut: its PGlite is closed under the server, for good.

const READ = "{ timeline(first: 3) { edges { node { id title } } } }";
const WRITE = `mutation { createEvent(input: { title: "Written during an outage", date: "2024-06-01", category: OTHER }) { id } }`;
const UNREACHABLE = "database unreachable: requests are answered 503 until it is back";

let app: TestApp;
let served: TestApp;
let base: string;
let proxy: TcpProxy | null = null;
const logs = new LogCapture();

beforeAll(async () => {
  app = await startTestApp();
  const log = pino({ level: "info" }, logs);
  if (app.databaseConfig.kind === "server") {
    const target = new URL(app.databaseConfig.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const through = new URL(app.databaseConfig.url);
    through.host = `127.0.0.1:${proxy.port}`;
    served = await startServerBeside(app, { log }, through.toString());
  } else {
    served = await startTestApp({ log });
  }
  base = await served.listen();
});
afterAll(async () => {
  if (served !== app) await served?.close();
  await app?.close();
  await proxy?.close();
});

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  const body = await json(response);
  expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(["SERVICE_UNAVAILABLE"]);
  expect(body.errors[0].message).toMatch(/database could not be reached; try again/);
  expect(JSON.stringify(body)).not.toMatch(/Connection terminated|PGlite|ECONN|prisma/i);
}

it("answers 503 with Retry-After while the database is away, logs the outage once, writes nothing, and recovers", async () => {
  expect((await postGraphQL(base, { query: READ })).status).toBe(200);
  const before = app.databaseConfig.kind === "server" ? await fingerprint(app) : null;

  if (proxy) proxy.cut();
  else await served.breakDatabase();

  for (let i = 0; i < 4; i++) await expectUnavailable(await postGraphQL(base, { query: READ }));
  await expectUnavailable(await postGraphQL(base, { query: WRITE }, { authorization: `Bearer ${TEST_API_TOKEN}` }));
  expect((await fetch(`${base}/health`)).status).toBe(503);
  const exported = await fetch(`${base}/export/events.csv?participants=iran`);
  expect(exported.status).toBe(503);
  expect((await json(exported)).error.code).toBe("SERVICE_UNAVAILABLE");

  // One warning for the outage, however many requests failed; nothing logged as an error.
  expect(logs.count(UNREACHABLE)).toBe(1);
  expect(logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);

  if (!proxy) return; // an embedded database closed under the server does not come back
  proxy.restore();
  await logs.logged("database reachable again");
  expect((await postGraphQL(base, { query: READ })).status).toBe(200);
  // The write refused during the outage left nothing behind.
  expect(await fingerprint(app)).toEqual(before);
  expect(logs.count(UNREACHABLE)).toBe(1);
});
