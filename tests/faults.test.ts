import { Client } from "pg";
import { uniqueTag } from "./support/factories";
import { json, postGraphQL } from "./support/http";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

// Writes and reads keep coming while the database connections are cut (on a server: every
// backend of this database is terminated, twice; embedded PGlite has no connections to cut,
// so a trigger makes the database fail some writes instead). Every write that was
// acknowledged must be stored; every failure must be a clean GraphQL error; the service
// must recover by itself.
const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { id title } }`;
const READ = `{ timeline(first: 5, order: DESC) { edges { node { id } } } }`;

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = await app.listen();
});
afterAll(() => app.close());

async function call(query: string, variables?: Record<string, unknown>, write = false) {
  const response = await postGraphQL(base, { query, variables }, write ? { authorization: `Bearer ${TEST_API_TOKEN}` } : {});
  return { status: response.status, body: await json(response) };
}

/** Cuts the database off in the way this kind of database can be: see above. */
async function disrupt(): Promise<() => Promise<void>> {
  if (app.db.kind === "server") {
    const [{ name }] = await app.db.prisma.$queryRaw<[{ name: string }]>`SELECT current_database() AS name`;
    const admin = new Client({ connectionString: process.env.TIMELINE_TEST_SERVER_URL });
    await admin.connect();
    const kill = () =>
      admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await kill();
    return async () => {
      await kill();
      await admin.end();
    };
  }
  await app.db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION fail_some_writes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.title LIKE '%3' OR NEW.title LIKE '%7' THEN RAISE EXCEPTION 'injected fault'; END IF;
      RETURN NEW;
    END $$`);
  await app.db.prisma.$executeRawUnsafe(`CREATE TRIGGER fail_some_writes BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_some_writes()`);
  return async () => {
    await app.db.prisma.$executeRawUnsafe(`DROP TRIGGER fail_some_writes ON events`);
    await app.db.prisma.$executeRawUnsafe(`DROP FUNCTION fail_some_writes()`);
  };
}

describe("when the database fails under a stream of writes and reads", () => {
  it("stores every acknowledged write, reports every failure cleanly, and recovers", async () => {
    const tag = uniqueTag();
    const acknowledged: Array<{ id: string; title: string }> = [];
    const failed: string[] = [];
    const codes = new Set<string>();
    let stopDisrupting: (() => Promise<void>) | null = null;

    const lane = async (laneIndex: number) => {
      for (let i = 0; i < 40; i++) {
        const title = `Fault ${tag} ${laneIndex}-${i}`;
        if (laneIndex === 0 && i === 10) stopDisrupting = await disrupt();
        if (laneIndex === 0 && i === 25 && stopDisrupting) await (stopDisrupting as () => Promise<void>)();
        const [write, read] = await Promise.all([
          call(CREATE, { input: { title, date: "2022-06-01", category: "OTHER" } }, true),
          call(READ),
        ]);
        // Failures are GraphQL errors, never a dropped connection or an HTML page: 200 for a write
        // the database refused, 503 (SERVICE_UNAVAILABLE, Retry-After) for a connection cut under it.
        expect([200, 503]).toContain(write.status);
        expect([200, 503]).toContain(read.status);
        if (write.body.data?.createEvent) acknowledged.push(write.body.data.createEvent);
        else {
          failed.push(title);
          for (const error of write.body.errors) codes.add(error.extensions.code);
          expect(JSON.stringify(write.body)).not.toMatch(/terminat|SQLSTATE|injected fault|prisma/i);
        }
        if (read.body.errors) for (const error of read.body.errors) codes.add(error.extensions.code);
      }
    };
    await Promise.all([0, 1, 2, 3].map(lane));

    expect(failed.length).toBeGreaterThan(0);
    // The injected fault is the service's own failure; a cut connection is an outage to retry.
    expect([...codes].every((code) => code === (app.db.kind === "server" ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR"))).toBe(true);
    const stored = await app.db.prisma.event.findMany({ where: { title: { startsWith: `Fault ${tag} ` } }, select: { id: true, title: true } });
    const storedIds = new Map(stored.map((event) => [String(event.id), event.title]));
    for (const { id, title } of acknowledged) expect(storedIds.get(id)).toBe(title);

    // Recovered without a restart: health is green and a write goes through.
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const after = await call(CREATE, { input: { title: `After ${tag}`, date: "2022", category: "OTHER" } }, true);
    expect(after.body.data.createEvent.title).toBe(`After ${tag}`);
  }, 600_000);
});
