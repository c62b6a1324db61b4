import { Client } from "pg";
import { fingerprint } from "./support/fingerprint";
import { uniqueTag } from "./support/factories";
import { startTestApp, type GraphQLResult, type TestApp } from "./support/test-app";
import { ENV, withDatabase } from "./support/test-database";
import { eventually } from "./support/patience";

// On PGlite the calls queue on its one connection; on a server they race over the pool, and
// only the database's unique indexes and row locks keep one article one set of rows.

const INGEST = `mutation Ingest($input: ArticleInput!) {
  ingestArticle(input: $input) { created updated source { id } events { id title } }
}`;
const CALLS = 20;

type Json = Record<string, any>;
type Result = GraphQLResult<{ ingestArticle: { created: number; updated: number; source: { id: string }; events: Json[] } }>;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** An article with a place and a participant of its own and three linked events; `variant` changes its content, not its keys. */
function article(tag: string, variant = 0): Json {
  return {
    url: `https://example.org/race/${tag}`,
    title: `Report ${tag} v${variant}`,
    publishedAt: "2024-03-01T00:00:00Z",
    locations: [{ slug: `town-${tag}`, name: `Town ${tag}`, kind: "CITY", parent: "baluchistan" }],
    participants: [{ slug: `militia-${tag}`, name: `Militia ${tag} v${variant}`, kind: "ARMED_GROUP" }],
    events: ["one", "two", "three"].map((key, index) => ({
      key,
      title: `Event ${key} ${tag} v${variant}`,
      date: `2024-02-0${index + 1}`,
      category: "ARMED_CLASH",
      fatalities: variant,
      location: `town-${tag}`,
      participants: [{ participant: `militia-${tag}`, role: "ACTOR" }],
      causes: index ? ["one"] : [],
    })),
  };
}

/** The rows the article's url, slugs and keys map to, counted in the tables themselves. */
async function rowsOf(tag: string) {
  const [counts] = await app.db.prisma.$queryRaw<Array<Record<string, number>>>`
    SELECT
      (SELECT count(*)::int FROM sources WHERE url = ${`https://example.org/race/${tag}`}) AS sources,
      (SELECT count(*)::int FROM event_sources es JOIN sources s ON s.id = es.source_id
        WHERE s.url = ${`https://example.org/race/${tag}`}) AS "eventSources",
      (SELECT count(*)::int FROM events WHERE title LIKE ${`Event % ${tag} v%`}) AS events,
      (SELECT count(*)::int FROM event_links l JOIN events e ON e.id = l.effect_id WHERE e.title LIKE ${`Event % ${tag} v%`}) AS links,
      (SELECT count(*)::int FROM locations WHERE slug = ${`town-${tag}`}) AS locations,
      (SELECT count(*)::int FROM participants WHERE slug = ${`militia-${tag}`}) AS participants`;
  return counts;
}

const ONE_ARTICLE = { sources: 1, eventSources: 3, events: 3, links: 2, locations: 1, participants: 1 };

/** Every call either succeeded or failed with a code the client can act on, never leaking internals. */
function expectCleanOutcomes(results: Result[]): Result[] {
  for (const result of results) {
    if (!result.errors) continue;
    expect(result.errors).toHaveLength(1);
    expect(["BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"]).toContain(result.errors[0].extensions?.code);
    if (result.errors[0].extensions?.code === "INTERNAL_SERVER_ERROR") expect(result.errors[0].message).toBe("Internal server error");
  }
  return results.filter((result) => !result.errors);
}

describe(`${CALLS} concurrent ingests of one url`, () => {
  it("with the same content end with one source and one set of events, created once", async () => {
    const tag = uniqueTag();
    const results = await Promise.all(Array.from({ length: CALLS }, () => app.write(INGEST, { input: article(tag) }) as Promise<Result>));
    const ok = expectCleanOutcomes(results);
    expect(ok.length).toBeGreaterThan(0);
    expect(await rowsOf(tag)).toEqual(ONE_ARTICLE);

    const outcomes = ok.map((result) => result.data!.ingestArticle);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.created, 0)).toBe(3);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.updated, 0)).toBe(0);
    expect(new Set(outcomes.map((outcome) => outcome.source.id)).size).toBe(1);
    expect(new Set(outcomes.map((outcome) => outcome.events.map((event) => event.id).join()))).toHaveProperty("size", 1);
  });

  it("with differing content end with one source and one set of events, all from one of the versions", async () => {
    const tag = uniqueTag();
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, variant) => app.write(INGEST, { input: article(tag, variant) }) as Promise<Result>),
    );
    const ok = expectCleanOutcomes(results);
    expect(ok.length).toBeGreaterThan(0);
    expect(await rowsOf(tag)).toEqual(ONE_ARTICLE);
    expect(ok.reduce((sum, result) => sum + result.data!.ingestArticle.created, 0)).toBe(3);

    // Each ingest is one transaction, so what is stored is one whole version, never a mix.
    const [source] = await app.db.prisma.source.findMany({ where: { url: `https://example.org/race/${tag}` }, select: { title: true } });
    const version = source.title.split(" ").pop()!;
    const events = await app.db.prisma.event.findMany({ where: { title: { contains: tag } }, select: { title: true, fatalities: true } });
    expect(events.map((event) => event.title.split(" ").pop())).toEqual([version, version, version]);
    expect(events.map((event) => event.fatalities)).toEqual(Array(3).fill(Number(version.slice(1))));
    const participant = await app.db.prisma.participant.findUnique({ where: { slug: `militia-${tag}` }, select: { name: true } });
    expect(participant!.name).toBe(`Militia ${tag} ${version}`);
  });
});

describe("an ingest that dies half-way", () => {
  it("leaves nothing written, and the next ingest succeeds", async () => {
    const tag = uniqueTag();
    // The participant exists beforehand, so that the ingest has something to wait for on a server.
    await app.write(`mutation($input: ParticipantInput!) { upsertParticipant(input: $input) { id } }`, {
      input: { slug: `militia-${tag}`, name: `Militia ${tag} v0`, kind: "ARMED_GROUP" },
    });
    const before = await fingerprint(app);

    const failed = app.db.kind === "server" ? await killedMidIngest(article(tag)) : await raisedMidIngest(article(tag));
    // A backend killed under the ingest is the database gone from under it (SERVICE_UNAVAILABLE,
    // try again); an error raised inside the database is the service's own failure.
    const [code, message] = app.db.kind === "server" ? ["SERVICE_UNAVAILABLE", /database could not be reached/] : ["INTERNAL_SERVER_ERROR", /^Internal server error$/];
    expect(failed.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    expect(failed.errors![0].message).toMatch(message);
    expect(failed.data ?? null).toBeNull();
    expect(await fingerprint(app)).toEqual(before);

    const next = (await app.write(INGEST, { input: article(tag) })) as Result;
    expect(next.errors).toBeUndefined();
    expect(next.data!.ingestArticle).toMatchObject({ created: 3, updated: 0 });
    expect(await rowsOf(tag)).toEqual(ONE_ARTICLE);
  });
});

/**
 * On a server: another connection holds a lock on the article's participant, so the ingest
 * blocks mid-transaction (its new location already inserted); its backend is then terminated.
 */
async function killedMidIngest(input: Json): Promise<Result> {
  const [{ database }] = await app.db.prisma.$queryRaw<Array<{ database: string }>>`SELECT current_database() AS database`;
  const locker = new Client({ connectionString: withDatabase(process.env[ENV.serverUrl]!, database) });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    await locker.query("SELECT id FROM participants WHERE slug = $1 FOR UPDATE", [input.participants[0].slug]);
    const lockerPid = (await locker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;

    const ingest = app.write(INGEST, { input }) as Promise<Result>;
    const blocked = await eventually(async () => {
      const { rows } = await locker.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND $1 = ANY(pg_blocking_pids(pid))",
        [lockerPid],
      );
      return rows[0]?.pid;
    }, "the ingest to wait for the participant's row lock");
    const { rows } = await locker.query<{ terminated: boolean }>("SELECT pg_terminate_backend($1) AS terminated", [blocked]);
    expect(rows[0].terminated).toBe(true);
    await locker.query("ROLLBACK");
    return await ingest;
  } finally {
    await locker.end();
  }
}

/** On PGlite, with no connection to kill: a trigger makes the causal links, written last, fail. */
async function raisedMidIngest(input: Json): Promise<Result> {
  const { prisma } = app.db;
  await prisma.$executeRawUnsafe(
    `CREATE FUNCTION test_fail_links() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$`,
  );
  await prisma.$executeRawUnsafe(`CREATE TRIGGER test_fail_links BEFORE INSERT ON event_links FOR EACH ROW EXECUTE FUNCTION test_fail_links()`);
  try {
    return (await app.write(INGEST, { input })) as Result;
  } finally {
    await prisma.$executeRawUnsafe(`DROP TRIGGER test_fail_links ON event_links`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION test_fail_links()`);
  }
}

