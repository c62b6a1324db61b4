import { readFileSync } from "node:fs";
import path from "node:path";
import { WEB_OUT_DIR } from "../web/build";
import { fullEventSelection } from "./support/full-selection";
import { rawGraphQL, rawRequest } from "./support/raw-http";
import { startTestApp, type TestApp } from "./support/test-app";
import { ingestScenario } from "./support/timeline";

// What crosses the network: compressed when the client accepts it (brotli first), the pages'
// assets compressed once at build time and cached for good under their hashed names.

let app: TestApp;
let base: string;

beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

const BR = { "accept-encoding": "br, gzip" };
const GZIP = { "accept-encoding": "gzip" };

/** The assets a built page names. */
function assetsOf(page: string): string[] {
  const html = readFileSync(path.join(WEB_OUT_DIR, page), "utf8");
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(([, url]) => url);
}

describe("the pages and their assets", () => {
  it("sends the timeline page compressed, revalidated on every load", async () => {
    const response = await rawRequest(`${base}/`, { headers: BR });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.body.toString()).toContain("<title>Timeline</title>");
    expect(response.wire.length).toBeLessThan(response.body.length / 2);
    const again = await rawRequest(`${base}/`, { headers: { ...BR, "if-none-match": String(response.headers.etag) } });
    expect(again.status).toBe(304);
    console.info(`GET /: ${response.body.length} bytes, ${response.wire.length} sent`);
  });

  it.each(["index.html", "graphiql.html", "drafts.html"])("sends every asset of %s as the file compressed at build time, cached for a year", async (page) => {
    const assets = assetsOf(page);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    let plainTotal = 0;
    let sentTotal = 0;
    for (const asset of assets) {
      const file = readFileSync(path.join(WEB_OUT_DIR, asset));
      const brotli = await rawRequest(`${base}${asset}`, { headers: BR });
      expect(brotli.status).toBe(200);
      expect(brotli.headers["content-encoding"]).toBe("br");
      expect(brotli.headers["cache-control"]).toMatch(/max-age=31536000.*immutable/);
      expect(brotli.headers.vary).toMatch(/accept-encoding/i);
      expect(brotli.wire.equals(readFileSync(path.join(WEB_OUT_DIR, `${asset}.br`)))).toBe(true);
      expect(brotli.body.equals(file)).toBe(true);
      const gzip = await rawRequest(`${base}${asset}`, { headers: GZIP });
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(gzip.body.equals(file)).toBe(true);
      const plain = await rawRequest(`${base}${asset}`);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.equals(file)).toBe(true);
      plainTotal += file.length;
      sentTotal += brotli.wire.length;
    }
    expect(sentTotal).toBeLessThan(plainTotal / 2);
    console.info(`${page}'s assets: ${plainTotal} bytes, ${sentTotal} sent with brotli`);
  });

  it("sends the IDE's first load under 2 MB, everything included", async () => {
    const html = await rawRequest(`${base}/graphiql`, { headers: BR });
    const assets = await Promise.all(assetsOf("graphiql.html").map((asset) => rawRequest(`${base}${asset}`, { headers: BR })));
    const total = [html, ...assets].reduce((sum, response) => sum + response.wire.length, 0);
    expect(total).toBeLessThan(2_000_000);
    console.info(`GraphQL IDE: ${total} bytes sent with brotli`);
  });
});

describe("GraphQL answers and exports", () => {
  it("sends a page of 100 events with every field compressed, and small answers as they are", async () => {
    const scenario = await ingestScenario(app, Array.from({ length: 100 }, (_, i) => ({ key: `e${i}`, date: `2022-03-${String((i % 28) + 1).padStart(2, "0")}` })));
    const query = `query($place: String!) { timeline(first: 100, filter: { locations: [$place] }) { edges { node { ${await fullEventSelection()} } } } }`;
    const response = await rawGraphQL(base, query, { place: scenario.place }, BR);
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    const body = JSON.parse(response.body.toString());
    expect(body.errors).toBeUndefined();
    expect(body.data.timeline.edges).toHaveLength(100);
    expect(response.wire.length).toBeLessThan(response.body.length / 5);
    console.info(`a page of 100 events: ${response.body.length} bytes of JSON, ${response.wire.length} sent with brotli`);

    const gzip = await rawGraphQL(base, query, { place: scenario.place }, GZIP);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gzip.body.toString())).toEqual(body);

    const small = await rawGraphQL(base, "{ timeline(first: 1) { totalCount } }", {}, BR);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.wire.length).toBeLessThan(1024);
  });

  it("streams exports compressed", async () => {
    const csv = await rawRequest(`${base}/export/events.csv`, { headers: BR });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-encoding"]).toBe("br");
    const lines = csv.body.toString().trim().split("\n");
    expect(lines[0]).toMatch(/^id,date,precision/);
    expect(lines.length).toBeGreaterThan(9);
    const json = await rawRequest(`${base}/export/timeline.json`, { headers: GZIP });
    expect(json.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(json.body.toString()).events.length).toBeGreaterThanOrEqual(9);
  });
});
