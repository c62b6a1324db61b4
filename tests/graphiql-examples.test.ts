import { GRAPHIQL_EXAMPLES } from "../web/graphiql/examples";
import { startTestApp, type TestApp } from "./support/test-app";

// The IDE opens on these tabs: each must run on the seed and return data.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it.each(GRAPHIQL_EXAMPLES.map((example) => [/query (\w+)/.exec(example.query)?.[1] ?? "example", example]))(
  "the IDE's %s tab runs on the seed",
  async (_name, { query, variables }) => {
    const result = await app.query(query, variables ? JSON.parse(variables) : undefined);
    expect(result.errors).toBeUndefined();
    expect(JSON.stringify(result.data)).toMatch(/Pakistan|Iran/);
  },
);
