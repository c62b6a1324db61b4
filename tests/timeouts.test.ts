import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { clientErrorFromDatabase } from "../src/common/database-errors";
import { openDatabase, type Database } from "../src/db/database";
import { requestTimeout } from "../src/security/http";
import { startTestApp, type TestApp } from "./support/test-app";

describe("the request timeout", () => {
  // Embedded PGlite answers without yielding to timers, so a real slow handler stands in for a slow request.
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use((req, _res, next) => {
      (req as unknown as { id: string }).id = "request-1";
      next();
    });
    app.use(requestTimeout(20));
    app.get("/slow", (_req, res) => void setTimeout(() => res.json({ late: true }), 200));
    app.get("/fast", (_req, res) => void res.json({ fast: true }));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers 503 TIMEOUT naming the limit when the answer is late, and drops the late answer", async () => {
    const response = await fetch(`${base}/slow`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      errors: [{ message: "The request took longer than the limit of 20 ms", extensions: { code: "TIMEOUT", requestId: "request-1" } }],
    });
  });

  it("leaves answers in time alone, also after a timeout", async () => {
    const response = await fetch(`${base}/fast`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ fast: true });
  });
});

describe("the statement timeout", () => {
  let app: TestApp | undefined;
  let db: Database;
  beforeAll(async () => {
    const serverUrl = process.env.TIMELINE_TEST_SERVER_URL;
    if (serverUrl) db = await openDatabase({ kind: "server", url: serverUrl }, { statementTimeoutMs: 50 });
    else db = (app = await startTestApp()).db;
  });
  afterAll(async () => {
    if (app) await app.close();
    else await db.close();
  });

  it("turns a statement the database cancelled into a TIMEOUT error for the client", async () => {
    // A server cancels by itself past statement_timeout; PGlite has no timers to do it, so the
    // same SQLSTATE (57014, query_canceled) is raised inside it instead.
    const cancelled =
      db.kind === "server"
        ? db.prisma.$queryRawUnsafe("SELECT pg_sleep(2)")
        : db.prisma.$executeRawUnsafe("DO $$ BEGIN RAISE EXCEPTION 'canceling statement' USING ERRCODE = 'query_canceled'; END $$");
    const error = await cancelled.then(
      () => null,
      (err: unknown) => err,
    );
    expect(clientErrorFromDatabase(error)).toMatchObject({ extensions: { code: "TIMEOUT" } });
    await expect(db.prisma.$queryRawUnsafe("SELECT 1 AS one")).resolves.toEqual([{ one: 1 }]);
  });
});
