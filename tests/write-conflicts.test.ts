import { inWriteTransaction, WRITE_TRANSACTION } from "../src/db/transactions";
import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// Writers meet on shared rows (the rollups' country months, upserted participants and places)
// and can take them in different orders. Postgres then aborts one of them for a deadlock; the
// service runs it again instead of failing the client's write.

let app: TestApp;
let tag: string;

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  await ingestArticle(app, {
    locations: ["east", "west"].map((name) => ({ slug: `${name}-${tag}`, name: `${name} ${tag}`, kind: "COUNTRY" })),
    participants: [{ slug: `side-${tag}`, name: `Side ${tag}`, kind: "GROUP" }],
    events: [],
  });
});
afterAll(() => app.close());

it("runs a transaction again when Postgres aborts it for a deadlock, and both writes land", async () => {
  const places = await app.db.prisma.location.findMany({ where: { slug: { in: [`east-${tag}`, `west-${tag}`] } }, orderBy: { slug: "asc" } });
  const [east, west] = places.map((place) => place.id);
  // Each transaction locks one row, waits until the other holds the other row, then asks for
  // it: a deadlock, on a server. The wait is for the first attempt only.
  let arrived = 0;
  let release!: () => void;
  const bothHoldOne = new Promise<void>((resolve) => (release = resolve));
  const meet = async () => {
    arrived += 1;
    if (arrived === 2) release();
    await bothHoldOne;
  };
  const conflicts: number[] = [];
  const lockBoth = (first: number, second: number, name: string) =>
    inWriteTransaction(
      app.db.prisma,
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM locations WHERE id = ${first}::int FOR UPDATE`;
        await meet();
        await tx.$queryRaw`SELECT id FROM locations WHERE id = ${second}::int FOR UPDATE`;
        await tx.$executeRaw`UPDATE locations SET aliases = array_append(aliases, ${name}) WHERE id = ${first}::int`;
        return name;
      },
      WRITE_TRANSACTION,
      (attempt) => conflicts.push(attempt),
    );

  if (app.db.kind === "server") {
    expect(await Promise.all([lockBoth(east, west, "one"), lockBoth(west, east, "two")])).toEqual(["one", "two"]);
    expect(conflicts).toEqual([1]);
  } else {
    // The embedded database has one connection: transactions run one after the other and never
    // deadlock. The first waits for a second that cannot start, so let both through at once.
    arrived = 1;
    expect(await lockBoth(east, west, "one")).toBe("one");
    expect(await lockBoth(west, east, "two")).toBe("two");
    expect(conflicts).toEqual([]);
  }
  const aliases = await app.db.prisma.location.findMany({ where: { id: { in: [east, west] } }, select: { aliases: true } });
  expect(aliases.flatMap((row) => row.aliases).sort()).toEqual(["one", "two"]);
});

it("lands concurrent articles that write the same countries' months in opposite orders", async () => {
  const article = (name: string, order: string[]) => ({
    url: `https://example.org/conflict-${name}-${tag}`,
    events: order.map((place, i) => ({
      key: `e${i}`,
      title: `Conflict ${name} ${i} ${tag}`,
      date: "2022-05-05",
      category: "ATTACK",
      fatalities: 1,
      location: `${place}-${tag}`,
      participants: [{ participant: `side-${tag}`, role: "ACTOR" }],
    })),
  });
  const pairs = Array.from({ length: 5 }, (_, i) => [article(`a${i}`, ["east", "west", "east"]), article(`b${i}`, ["west", "east", "west"])]);
  const results = await Promise.all(pairs.flat().map((input) => ingestArticle(app, input)));
  expect(results.map((result) => result.events.length)).toEqual(Array(10).fill(3));
  for (const country of [`east-${tag}`, `west-${tag}`]) {
    const viaRollups = await app.query<{ timelineStats: { count: number; topParticipants: unknown[] } }>(
      `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count topParticipants { participant { slug } count fatalities } } }`,
      { filter: { locations: [country], from: "2022" } },
    );
    const viaEvents = await app.query<{ timelineStats: { count: number; topParticipants: unknown[] } }>(
      `query($filter: TimelineFilter) { timelineStats(filter: $filter) { count topParticipants { participant { slug } count fatalities } } }`,
      { filter: { locations: [country], from: "2022", statuses: ["OCCURRED", "PLANNED"] } },
    );
    expect(viaRollups.errors).toBeUndefined();
    expect(viaRollups.data).toEqual(viaEvents.data);
    expect(viaRollups.data!.timelineStats.count).toBe(15);
  }
});
