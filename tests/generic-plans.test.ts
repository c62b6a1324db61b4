import { startTestApp, type TestApp } from "./support/test-app";

// The generic-plan trap (#16): a statement kept prepared and executed again and again is, from
// its sixth execution on, given a plan made for any parameters (plan_cache_mode auto), and for a
// busy participant such a plan can walk the wrong index: PostGraphile answers the bench's (c) at
// 1-2 requests a second once it sets in. This API sends every statement unnamed (Prisma's driver
// adapter parses, binds and executes each time), so each execution is planned for its own
// parameters. These run the bench's (c) and (f) filters dozens of times, on the seed, and check
// that the answers stay the same and that no statement is left prepared on the connection that
// ran them (the pool hands back the connection released last, so the check runs on it).

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const PAGE = `query($filter: TimelineFilter) { timeline(first: 50, filter: $filter) { totalCount edges { node { id fatalities participants { participant { slug } } } } } }`;
const workloads = [
  ["(c) one participant", { participants: ["pakistan"] }],
  ["(f) a year, a participant, categories and a toll", { from: "2024", to: "2024", participants: ["pakistan"], categories: ["AIRSTRIKE", "ATTACK"], minFatalities: 1 }],
] as const;

it.each(workloads)("%s: the same answer after 40 executions, and nothing kept prepared", async (_, filter) => {
  const answers = new Set<string>();
  let first: { totalCount: number; edges: Array<{ node: { id: string; fatalities: number | null; participants: Array<{ participant: { slug: string } }> } }> } | undefined;
  for (let run = 0; run < 40; run++) {
    const result = await app.query<{ timeline: NonNullable<typeof first> }>(PAGE, { filter });
    expect(result.errors).toBeUndefined();
    first ??= result.data!.timeline;
    answers.add(JSON.stringify(result.data));
  }
  expect(answers.size).toBe(1);
  // The filter matched something, and only what it asks for.
  expect(first!.totalCount).toBeGreaterThan(0);
  for (const { node } of first!.edges) expect(node.participants.map((role) => role.participant.slug)).toContain("pakistan");
  if ("minFatalities" in filter) for (const { node } of first!.edges) expect(node.fatalities).toBeGreaterThanOrEqual(1);
  const prepared = await app.db.prisma.$queryRaw<Array<{ name: string }>>`SELECT name FROM pg_prepared_statements`;
  expect(prepared).toEqual([]);
});
