import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { WEB_OUT_DIR } from "../web/build";
import { json } from "./support/http";
import { startTestApp, type TestApp } from "./support/test-app";

// Where the pages are served from: a checkout under a dot folder (~/.cache/…, npx's cache,
// ~/.local/…) serves them like any other; a missing build says how to make one.

describe("pages built under a folder whose path has a dot segment", () => {
  let root: string;
  let app: TestApp;
  let base: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "timeline-"));
    const webDir = path.join(root, ".cache", "npx", "timeline", "dist", "web");
    await cp(WEB_OUT_DIR, webDir, { recursive: true });
    app = await startTestApp({ webDir });
    base = await app.listen();
  });
  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("serves the timeline page, the IDE and their assets", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>Timeline</title>");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    expect((await fetch(`${base}${script}`)).status).toBe(200);
    const ide = await fetch(`${base}/graphiql`);
    expect(ide.status).toBe(200);
    expect(await ide.text()).toContain("<title>Timeline GraphQL IDE</title>");
  });
});

describe("pages not built", () => {
  let root: string;
  let app: TestApp;
  let base: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "timeline-unbuilt-"));
    app = await startTestApp({ webDir: root });
    base = await app.listen();
  });
  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("answers 503 saying how to build them, and GraphQL still works", async () => {
    for (const url of ["/", "/graphiql"]) {
      const response = await fetch(`${base}${url}`);
      expect(response.status).toBe(503);
      const { error } = await json(response);
      expect(error).toEqual({ code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/npm run build:web/), requestId: response.headers.get("x-request-id") });
    }
    const graphql = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ timeline(first: 1) { totalCount } }" }),
    });
    expect(graphql.status).toBe(200);
  });
});
