import { readFileSync } from "node:fs";
import path from "node:path";
import { startTestApp, type TestApp } from "./support/test-app";

// Every ```graphql block of the README runs against the seed; where a ```json block follows
// it, the response must be exactly that. The README stays true or the build goes red.
const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const fences = [...readme.matchAll(/```(\w+)\n([\s\S]*?)\n```/g)].map(([, lang, body]) => ({ lang, body }));
const examples = fences.flatMap((fence, index) =>
  fence.lang === "graphql"
    ? [{ query: fence.body, expected: fences[index + 1]?.lang === "json" ? JSON.parse(fences[index + 1].body) : null }]
    : [],
);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
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
