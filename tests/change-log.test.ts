import { Client } from "pg";
import { fingerprint } from "./support/fingerprint";
import { feedSettled } from "./support/feed";
import { ingestArticle, uniqueTag } from "./support/factories";
import { eventually } from "./support/patience";
import { startTestApp, type TestApp } from "./support/test-app";

// The change log (#14): every write records one entry per event it changed, in its own
// transaction, with the event's version advanced; revisions list them with the fields that
// changed; updateEvent's expectedVersion refuses a stale write with CONFLICT.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const REVISIONS = "version createdAt updatedAt revisions { version kind at changes { field before after } source { url } }";

interface Revised {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  revisions: Array<{ version: number; kind: string; at: string; changes: Array<{ field: string; before: string | null; after: string | null }>; source: { url: string } | null }>;
}

async function create(input: Record<string, unknown>): Promise<Revised> {
  const result = await app.write<{ createEvent: Revised }>(`mutation($input: EventInput!) { createEvent(input: $input) { id ${REVISIONS} } }`, {
    input: { title: `Logged ${uniqueTag()}`, date: "2024-03-01", category: "OTHER", ...input },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent;
}

const update = (id: string, input: Record<string, unknown>) =>
  app.write<{ updateEvent: Revised }>(`mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id ${REVISIONS} } }`, { id, input });

async function updated(id: string, input: Record<string, unknown>): Promise<Revised> {
  const result = await update(id, input);
  expect(result.errors).toBeUndefined();
  return result.data!.updateEvent;
}

async function read(id: string): Promise<Revised> {
  const result = await app.query<{ event: Revised }>(`query($id: ID!) { event(id: $id) { id ${REVISIONS} } }`, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.event;
}

const fieldsOf = (revision: Revised["revisions"][number]) => revision.changes.map((change) => change.field).sort();

describe("versions and revisions", () => {
  it("start at 1 with the creation", async () => {
    const event = await create({});
    expect(event.version).toBe(1);
    expect(event.revisions).toEqual([{ version: 1, kind: "CREATED", at: expect.any(String), changes: [], source: null }]);
    expect(event.createdAt).toBe(event.revisions[0].at);
  });

  it("advance with each change, listing the fields that changed with their values before and after", async () => {
    const event = await create({ title: "Before" });
    const renamed = await updated(event.id, { title: "After" });
    expect(renamed.version).toBe(2);
    expect(renamed.revisions[1]).toMatchObject({ version: 2, kind: "UPDATED", changes: [{ field: "title", before: '"Before"', after: '"After"' }] });
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(event.updatedAt));

    const toll = await updated(event.id, { deaths: { low: 9, qualifier: "AT_LEAST" } });
    expect(toll.version).toBe(3);
    expect(fieldsOf(toll.revisions[2])).toEqual(["deaths", "fatalities"]);
    expect(toll.revisions[2].changes.find((change) => change.field === "fatalities")).toEqual({ field: "fatalities", before: null, after: "9" });

    const redated = await updated(event.id, { date: "2024-03-02" });
    expect(fieldsOf(redated.revisions[3])).toEqual(["date", "occurredAt", "timeWindow"]);
  });

  it("record an update that leaves the relations be with the event's whole state, and only the fields it changed", async () => {
    const tag = uniqueTag();
    const [actor, place, moved] = [`actor-${tag}`, `place-${tag}`, `moved-${tag}`];
    const url = `https://example.org/logged/${tag}`;
    await ingestArticle(app, {
      url,
      participants: [{ slug: actor, name: `Actor ${tag}`, kind: "GROUP" }],
      locations: [
        { slug: place, name: `Place ${tag}`, kind: "COUNTRY" },
        { slug: moved, name: `Moved ${tag}`, kind: "COUNTRY" },
      ],
      events: [],
    });
    const event = await create({
      title: "Kept lists",
      location: place,
      participants: [{ participant: actor, role: "ACTOR" }],
      sourceUrls: [url],
      claims: [{ claimant: actor, statement: "said four died", deaths: { best: 4 } }],
    });
    const state = async () => {
      const [row] = await app.db.prisma.$queryRaw<[{ logged: unknown; now: unknown }]>`
        SELECT (SELECT c.state FROM event_changes c WHERE c.event_id = e.id ORDER BY c.version DESC LIMIT 1) AS logged,
               (SELECT s.state FROM timeline_event_states(ARRAY[e.id]) s) AS now
        FROM events e WHERE e.id = ${Number(event.id)}::int`;
      return row;
    };
    // Each of these changes the event's own columns (or its place), none of its lists.
    for (const [input, fields] of [
      [{ title: "Kept lists, renamed" }, ["title"]],
      [{ location: moved, injured: 2 }, ["injured", "injuries", "location"]],
      [{ date: "2024-03-05", summary: "Moved a few days" }, ["date", "occurredAt", "summary", "timeWindow"]],
    ] as const) {
      const after = await updated(event.id, input);
      expect(fieldsOf(after.revisions[after.revisions.length - 1])).toEqual(fields);
      // The entry holds the whole state after the write, lists included.
      const { logged, now } = await state();
      expect(logged).toEqual(now);
      expect(logged).toMatchObject({ participants: [{ participant: actor, role: "ACTOR" }], sources: [url], claims: [{ claimant: actor }] });
    }
    // A filter by participant still matches the entries of those updates (by their states), once
    // the feed shows them (on a server another test file's transaction can hold them back a while).
    await feedSettled(app);
    const feed = await app.query<{ changes: { edges: Array<{ node: { eventId: string; kind: string } }> } }>(
      `query($filter: TimelineFilter) { changes(first: 100, filter: $filter) { edges { node { eventId kind } } } }`,
      { filter: { participants: [actor] } },
    );
    expect(feed.errors).toBeUndefined();
    expect(feed.data!.changes.edges.filter(({ node }) => node.eventId === event.id).map(({ node }) => node.kind)).toEqual(["CREATED", "UPDATED", "UPDATED", "UPDATED"]);
  });

  it("stay when an update changes nothing", async () => {
    const event = await create({ title: "Same" });
    const again = await updated(event.id, { title: "Same", category: "OTHER" });
    expect(again.version).toBe(1);
    expect(again.revisions).toHaveLength(1);
  });

  it("advance for an event whose window moved because a linked event changed", async () => {
    const cause = await create({ date: "2024-03-10" });
    const effect = await create({ date: "2024-03", causes: [cause.id] });
    expect(effect.version).toBe(1);
    await updated(cause.id, { date: "2024-03-20" });
    const moved = await read(effect.id);
    expect(moved.version).toBe(2);
    expect(moved.revisions[1].kind).toBe("UPDATED");
    expect(fieldsOf(moved.revisions[1])).toEqual(["timeWindow"]);
    expect(JSON.parse(moved.revisions[1].changes[0].after!)).toMatchObject({ earliest: "2024-03-20T00:00:00.000Z", earliestBound: "CAUSE" });
  });
});

describe("expectedVersion", () => {
  it("refuses a stale update with CONFLICT and writes nothing; the current version passes", async () => {
    const event = await create({});
    await updated(event.id, { title: `Moved on ${uniqueTag()}` });
    const before = await fingerprint(app);
    const stale = await update(event.id, { title: "Stale edit", expectedVersion: 1 });
    expect(stale.errors?.map((error) => error.extensions?.code)).toEqual(["CONFLICT"]);
    expect(stale.errors![0].message).toContain("version 2");
    expect(await fingerprint(app)).toEqual(before);
    expect((await updated(event.id, { title: "Current edit", expectedVersion: 2 })).version).toBe(3);
  });

  it("is NOT_FOUND for an event that is not there", async () => {
    const result = await update("999999999", { title: "x", expectedVersion: 1 });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
  });
});

describe("ingestion and deletion", () => {
  it("record the article that made a change, nothing when an article comes again unchanged", async () => {
    const tag = uniqueTag();
    const article = {
      url: `https://example.org/logged/${tag}`,
      title: `Logged ${tag}`,
      events: [{ key: "a", title: `A ${tag}`, date: "2024-03-05", category: "OTHER" }],
    };
    const first = await ingestArticle(app, article);
    const id = String(first.events[0].id);
    expect((await read(id)).revisions).toEqual([expect.objectContaining({ version: 1, kind: "CREATED", source: { url: article.url } })]);
    await ingestArticle(app, article);
    expect((await read(id)).version).toBe(1);
    await ingestArticle(app, { ...article, events: [{ ...article.events[0], title: `A, corrected ${tag}` }] });
    const corrected = await read(id);
    expect(corrected.version).toBe(2);
    expect(corrected.revisions[1]).toMatchObject({ kind: "UPDATED", source: { url: article.url }, changes: [{ field: "title" }] });
  });

  it("leave a tombstone: the last state, at the version after the last", async () => {
    const event = await create({ title: "To be deleted" });
    await updated(event.id, { summary: "a summary" });
    const deleted = await app.write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id: event.id });
    expect(deleted.errors).toBeUndefined();
    const entries = await app.db.prisma.$queryRaw<Array<{ kind: string; version: number; title: string; summary: string | null }>>`
      SELECT kind::text, version, state->>'title' AS title, state->>'summary' AS summary
      FROM event_changes WHERE event_id = ${Number(event.id)}::int ORDER BY version`;
    expect(entries.map((entry) => [entry.kind, entry.version])).toEqual([
      ["CREATED", 1],
      ["UPDATED", 2],
      ["DELETED", 3],
    ]);
    expect(entries[2]).toMatchObject({ title: "To be deleted", summary: "a summary" });
  });
});

describe("writes that wait for the event's row lock", () => {
  // Each waits behind a transaction that holds the row, then runs once it commits; what one
  // records as "before" must be what the one ahead of it left, whatever waited in between.
  const holdingTheRow = async <T>(eventId: string, waiting: Array<() => Promise<T>>): Promise<T[]> => {
    if (app.databaseConfig.kind !== "server") {
      // The embedded database has one connection: writes run one after the other.
      const results: T[] = [];
      for (const write of waiting) results.push(await write());
      return results;
    }
    const holder = new Client({ connectionString: app.databaseConfig.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM events WHERE id = $1 FOR UPDATE", [Number(eventId)]);
      const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
      const started: Array<Promise<T>> = [];
      for (const write of waiting) {
        started.push(write());
        // Started one at a time, each queued behind the lock before the next: the lock grants in order.
        // Asked through the app's pool, not the holder: a transaction sees pg_stat_activity as it was when first read.
        await eventually(async () => {
          const [{ waiting: queued }] = await app.db.prisma.$queryRaw<[{ waiting: number }]>`
            SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ${holderPid}::int`;
          return queued >= started.length ? true : undefined;
        }, `${started.length} write(s) to wait for the row lock`);
      }
      await holder.query("COMMIT");
      return await Promise.all(started);
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
    }
  };

  it("record each update's before-values as the update ahead of it left them", async () => {
    const event = await create({ title: "First" });
    // The second replaces the event's relations (causes: []), so it reads the whole state.
    const [second, third] = await holdingTheRow(event.id, [
      () => update(event.id, { title: "Second" }),
      () => update(event.id, { title: "Third", causes: [] }),
    ]);
    expect(second.errors).toBeUndefined();
    expect(third.errors).toBeUndefined();
    const { revisions } = await read(event.id);
    expect(revisions.map((revision) => [revision.version, revision.kind])).toEqual([
      [1, "CREATED"],
      [2, "UPDATED"],
      [3, "UPDATED"],
    ]);
    expect(revisions[1].changes).toEqual([{ field: "title", before: '"First"', after: '"Second"' }]);
    expect(revisions[2].changes).toEqual([{ field: "title", before: '"Second"', after: '"Third"' }]);
  });

  it("record a delete at the version after the update ahead of it, its tombstone holding that update", async () => {
    const event = await create({ title: "Kept" });
    const [renamed, deleted] = await holdingTheRow<{ errors?: unknown }>(event.id, [
      () => update(event.id, { title: "Renamed" }),
      () => app.write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id: event.id }),
    ]);
    expect(renamed.errors).toBeUndefined();
    expect(deleted.errors).toBeUndefined();
    const entries = await app.db.prisma.$queryRaw<Array<{ kind: string; version: number; title: string }>>`
      SELECT kind::text, version, state->>'title' AS title FROM event_changes WHERE event_id = ${Number(event.id)}::int ORDER BY seq`;
    expect(entries).toEqual([
      { kind: "CREATED", version: 1, title: "Kept" },
      { kind: "UPDATED", version: 2, title: "Renamed" },
      { kind: "DELETED", version: 3, title: "Renamed" },
    ]);
  });
});

describe("the bulk path", () => {
  it("records a creation per event, and a change for the events that links reach", async () => {
    const { BulkLoadService } = await import("../src/ingest/bulk-load");
    const { defaultDateRules } = await import("../src/events/event-dates");
    const { parsePartialDate } = await import("../src/common/partial-date");
    const bulk = new BulkLoadService(app.db.prisma, defaultDateRules());
    const tag = uniqueTag();
    const [first, second] = await bulk.events([
      { title: `Bulk one ${tag}`, date: parsePartialDate("2019-06-10"), category: "ATTACK" },
      { title: `Bulk two ${tag}`, date: parsePartialDate("2019-06"), category: "ATTACK" },
    ]);
    expect((await read(String(first))).revisions.map((r) => [r.version, r.kind])).toEqual([[1, "CREATED"]]);
    expect((await read(String(second))).revisions.map((r) => [r.version, r.kind])).toEqual([[1, "CREATED"]]);
    await bulk.links([{ causeId: first, effectId: second }]);
    const linked = await read(String(second));
    expect(linked.version).toBe(2);
    expect(fieldsOf(linked.revisions[1])).toEqual(["causes", "timeWindow"]);
  });
});
