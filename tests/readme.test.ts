import { readFileSync } from "node:fs";
import path from "node:path";
import { startTestApp, type TestApp } from "./support/test-app";

// Every ```graphql block of the README runs against the seed; where a ```json block follows
// it, the response must be exactly that. The README stays true or the build goes red.
const SEED_EVENTS: number = JSON.parse(readFileSync(path.join(__dirname, "..", "seed", "ap-2024-01-29-iran-pakistan.json"), "utf8")).events.length;
const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const fences = [...readme.matchAll(/```(\w+)\n([\s\S]*?)\n```/g)].map(([, lang, body]) => ({ lang, body }));
const examples = fences.flatMap((fence, index) =>
  fence.lang === "graphql"
    ? [{ query: fence.body, expected: fences[index + 1]?.lang === "json" ? JSON.parse(fences[index + 1].body) : null }]
    : [],
);

/**
 * The README's `curl` commands against the local server that need no token: one per line, with
 * its URL, -H headers and -d body in single quotes.
 */
const curls = fences
  .filter((fence) => fence.lang === "sh")
  .flatMap((fence) => fence.body.split("\n"))
  .filter((line) => line.startsWith("curl ") && line.includes("http://localhost:4000/") && !line.endsWith("\\"))
  .map((line) => ({
    line,
    url: /'?(http:\/\/localhost:4000\/[^'\s]*)'?/.exec(line)![1],
    headers: Object.fromEntries([...line.matchAll(/-H '([^:']+):\s*([^']*)'/g)].map(([, name, value]) => [name.toLowerCase(), value])),
    body: /-d '([^']*)'/.exec(line)?.[1],
  }));

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

describe("the README's example queries", () => {
  it("are there", () => {
    expect(examples.filter((example) => example.expected).length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((example) => [example.query.split("\n").slice(0, 2).join(" ").slice(0, 60), example]))(
    "%s",
    async (_name, { query, expected }) => {
      const result = await app.query(query);
      if (expected) expect(result).toEqual(expected);
      else {
        expect(result.errors).toBeUndefined();
        expect(result.data).toBeTruthy();
      }
    },
  );
});

describe("the README's curl commands", () => {
  it("are there, for a GET and a POST of /graphql and for both exports", () => {
    expect(curls.map(({ url, body }) => `${body ? "POST" : "GET"} ${new URL(url).pathname}`).sort()).toEqual(
      ["GET /export/events.csv", "GET /export/timeline.json", "GET /graphql", "POST /graphql"].sort(),
    );
  });

  it.each(curls.map((curl) => [curl.line.slice(0, 70), curl]))("%s", async (_name, { url, headers, body }) => {
    const response = await fetch(url.replace("http://localhost:4000", base), { method: body ? "POST" : "GET", headers, body });
    expect(response.status).toBe(200);
    if (new URL(url).pathname === "/graphql") {
      const result = await response.json();
      expect(result).toEqual({ data: { timeline: expect.objectContaining({ totalCount: SEED_EVENTS }) } });
    } else {
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  it("needs the preflight header for a GET, as the README says", async () => {
    const get = curls.find(({ url, body }) => !body && url.includes("/graphql?"))!;
    const response = await fetch(get.url.replace("http://localhost:4000", base));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });
});
