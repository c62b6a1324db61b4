import { fullEventSelection } from "./support/full-selection";
import { json, postGraphQL } from "./support/http";
import { startTestApp, type TestApp } from "./support/test-app";
import { ingestScenario } from "./support/timeline";

// The cost limit charges what the server does: a page is one or two statements, and the lists it
// selects come with it; a page of pages is a statement per row. The largest page the schema
// documents is served with every field; what would make the server work per row is refused.

let app: TestApp;
let base: string;
let place: string;
let selection: string;

beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
  selection = await fullEventSelection();
  const scenario = await ingestScenario(
    app,
    Array.from({ length: 100 }, (_, i) => ({ key: `e${i}`, date: `2023-05-${String((i % 28) + 1).padStart(2, "0")}`, summary: `Event number ${i} of a long page` })),
  );
  place = scenario.place;
});
afterAll(() => app.close());

const page = (size: number) =>
  `query Page($place: String!) { timeline(first: ${size}, filter: { locations: [$place] }) {
     totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection} } } } }`;

describe("the cost limit", () => {
  it.each([1, 20, 100])("serves a page of %i with every Event field and its relations", async (size) => {
    const response = await postGraphQL(base, { query: page(size), variables: { place } });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.errors).toBeUndefined();
    expect(body.data.timeline.edges).toHaveLength(size);
    expect(body.data.timeline.edges[0].node.location.name).toMatch(/^Place /);
  });

  const refusals: Array<[string, string, Record<string, unknown>]> = [
    ["a page of pages", "{ timeline(first: 100) { edges { node { participants { participant { events(first: 100) { edges { node { title } } } } } } } } }", {}],
    [
      "a page of pages sized by variables",
      "query($n: Int) { timeline(first: $n) { edges { node { location { events(first: $n) { edges { node { title summary date } } } } } } } }",
      { n: 100 },
    ],
    [
      "a fragment bomb",
      `query { timeline(first: 100) { edges { node { ...Deep } } } }
       fragment Deep on Event { causes { ...Wide } consequences { ...Wide } }
       fragment Wide on Event { participants { participant { events(first: 100) { edges { node { ...Leaf } } } } } }
       fragment Leaf on Event { id title summary date category status }`,
      {},
    ],
  ];

  it.each(refusals)("refuses %s with HTTP 400 naming the limit, before running anything", async (_kind, query, variables) => {
    const before = app.db.statements.count;
    const response = await postGraphQL(base, { query, variables });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors[0].message).toMatch(/^Query cost limit of 50000 exceeded: this operation costs \d+/);
    expect(app.db.statements.count).toBe(before);
  });

  it("leaves a page size over 100 to the field, which refuses it before reading anything", async () => {
    const before = app.db.statements.count;
    const body = await json(await postGraphQL(base, { query: "query($n: Int) { timeline(first: $n) { edges { node { id title } } } }", variables: { n: 1_000_000 } }));
    expect(body.data).toBeNull();
    expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    expect(body.errors[0].message).toBe("first must be from 1 to 100, got 1000000");
    expect(app.db.statements.count).toBe(before);
  });
});
