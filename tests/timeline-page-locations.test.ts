import { startTestApp, type TestApp } from "./support/test-app";
import { ingestScenario, type Scenario } from "./support/timeline";

// The timeline reads each event's location in its page statement and hands them to the
// request's location loader: asking for Event.location costs no statement of its own.

let app: TestApp;
let scenario: Scenario;

beforeAll(async () => {
  app = await startTestApp();
  scenario = await ingestScenario(app, [
    { key: "first", date: "2024-03-01" },
    { key: "second", date: "2024-03-02" },
    { key: "nowhere", date: "2024-03-03", location: null },
  ]);
});
afterAll(() => app.close());

const page = (fields: string) => `query($place: String!) {
  timeline(first: 10, filter: { locations: [$place] }) { edges { node { id ${fields} } } }
}`;

async function run(fields: string) {
  const before = app.db.statements.count;
  const result = await app.query<{ timeline: { edges: Array<{ node: Record<string, any> }> } }>(page(fields), { place: scenario.place });
  expect(result.errors).toBeUndefined();
  return { statements: app.db.statements.count - before, nodes: result.data!.timeline.edges.map((edge) => edge.node) };
}

it("serves Event.location without a statement of its own", async () => {
  const without = await run("title");
  const withLocation = await run("title location { id slug name kind aliases countryCode latitude longitude }");
  expect(withLocation.statements).toBe(without.statements);
  expect(withLocation.nodes.map((node) => node.location?.slug ?? null)).toEqual([scenario.place, scenario.place]);
});

it("gives the same location as the location query", async () => {
  const { nodes } = await run("location { id slug name kind aliases countryCode latitude longitude parent { slug } }");
  const direct = await app.query<{ location: Record<string, unknown> }>(
    `query($slug: String!) { location(slug: $slug) { id slug name kind aliases countryCode latitude longitude parent { slug } } }`,
    { slug: scenario.place },
  );
  expect(nodes[0].location).toEqual(direct.data!.location);
});

it("gives null for an event without a location", async () => {
  const result = await app.query<{ timeline: { edges: Array<{ node: { location: unknown } }> } }>(
    `query($id: ID!) { event(id: $id) { location { slug } } timeline(first: 100, filter: { from: "2024-03-03", to: "2024-03-03" }) { edges { node { id location { slug } } } } }`,
    { id: scenario.id.nowhere },
  );
  expect(result.errors).toBeUndefined();
  const node = (result.data!.timeline.edges as Array<{ node: { id?: string; location: unknown } }>).find((edge) => edge.node.id === scenario.id.nowhere);
  expect(node?.node.location).toBeNull();
});
