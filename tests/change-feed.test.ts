import { Client } from "pg";
import { ingestArticle, uniqueTag } from "./support/factories";
import { feedSettled } from "./support/feed";
import { startTestApp, type TestApp } from "./support/test-app";

// The change feed (contract: changes, EventChange): every write path's changes in feed order,
// each once, tombstones that a filter still matches by their last state, and a reader that
// never skips the change of a transaction that commits after a later-started one.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

interface Change {
  cursor: string;
  kind: string;
  eventId: string;
  version: number;
  fields: string[];
  event: { title: string } | null;
}

const CHANGES = `query($after: String, $first: Int, $filter: TimelineFilter) {
  changes(after: $after, first: $first, filter: $filter) {
    edges { cursor node { cursor kind eventId version fields event { title } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const settled = () => feedSettled(app);

/** Every change after `after`, page by page, once the feed shows all that was written. */
async function readAll(after: string | null, filter?: Record<string, unknown>, first = 100): Promise<{ changes: Change[]; end: string | null }> {
  await settled();
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const result = await app.query<{ changes: { edges: Array<{ cursor: string; node: Change }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
      CHANGES,
      { after: cursor, first, filter },
    );
    expect(result.errors).toBeUndefined();
    const { edges, pageInfo } = result.data!.changes;
    for (const edge of edges) expect(edge.cursor).toBe(edge.node.cursor);
    changes.push(...edges.map((edge) => edge.node));
    cursor = pageInfo.endCursor ?? cursor;
    if (!pageInfo.hasNextPage) return { changes, end: cursor };
  }
}

async function readPage(after: string | null): Promise<{ changes: Change[]; end: string | null }> {
  const result = await app.query<{ changes: { edges: Array<{ node: Change }>; pageInfo: { endCursor: string | null } } }>(CHANGES, { after });
  expect(result.errors).toBeUndefined();
  return { changes: result.data!.changes.edges.map((edge) => edge.node), end: result.data!.changes.pageInfo.endCursor ?? after };
}

/** The feed's current end: where a reader that starts now begins. */
const feedEnd = async () => (await readAll(null)).end;

const create = async (input: Record<string, unknown>) => {
  const result = await app.write<{ createEvent: { id: string } }>(`mutation($input: EventInput!) { createEvent(input: $input) { id } }`, {
    input: { title: `Fed ${uniqueTag()}`, date: "2024-04-01", category: "OTHER", ...input },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent.id;
};
const update = async (id: string, input: Record<string, unknown>) => {
  const result = await app.write(`mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id } }`, { id, input });
  expect(result.errors).toBeUndefined();
};
const remove = async (id: string) => {
  const result = await app.write(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id });
  expect(result.errors).toBeUndefined();
};

describe("the feed", () => {
  it("holds every write, each once, in order, whatever the page size", async () => {
    const start = await feedEnd();
    const tag = uniqueTag();
    const a = await create({ title: `A ${tag}` });
    await update(a, { title: `A renamed ${tag}` });
    const b = await create({ title: `B ${tag}`, date: "2024-04", causes: [a] });
    const ingested = await ingestArticle(app, { events: [{ key: "c", title: `C ${tag}`, date: "2024-04-02", category: "OTHER" }] });
    const c = String(ingested.events[0].id);
    await update(a, { date: "2024-04-10" }); // moves B's window: its own entry
    await remove(a); // frees B's window again: another
    const expected = [
      ["CREATED", a],
      ["UPDATED", a],
      ["CREATED", b],
      ["CREATED", c],
      ["UPDATED", a],
      ["UPDATED", b],
      ["DELETED", a],
      ["UPDATED", b],
    ];
    for (const first of [100, 3, 1]) {
      const { changes } = await readAll(start, undefined, first);
      expect(changes.map((change) => [change.kind, change.eventId])).toEqual(expected);
    }
    const { changes } = await readAll(start);
    expect(changes.filter((change) => change.eventId === a).map((change) => change.version)).toEqual([1, 2, 3, 4]);
    expect(changes[5].fields).toEqual(["timeWindow"]);
    // The event as it is now; null once deleted.
    expect(changes[0].event).toBeNull();
    expect(changes[2].event).toEqual({ title: `B ${tag}` });
    // Nothing new: an empty page, and the reader keeps its cursor.
    const end = (await readAll(start)).end;
    expect(await readAll(end)).toEqual({ changes: [], end });
  });

  it("with a filter, holds the changes of events that match before or after, and tombstones by their last state", async () => {
    const start = await feedEnd();
    const stays = await create({ category: "PROTEST" });
    const leaves = await create({ category: "PROTEST" });
    const never = await create({ category: "RIOT" });
    await update(leaves, { category: "LEGAL" }); // left the filter: the reader must learn it
    await update(leaves, { title: `Out of view ${uniqueTag()}` }); // outside before and after
    await remove(stays);
    const { changes } = await readAll(start, { categories: ["PROTEST"] });
    expect(changes.map((change) => [change.kind, change.eventId])).toEqual([
      ["CREATED", stays],
      ["CREATED", leaves],
      ["UPDATED", leaves],
      ["DELETED", stays],
    ]);
    expect(changes.some((change) => change.eventId === never)).toBe(false);
  });

  it("refuses cursors it did not issue and pages out of range", async () => {
    for (const variables of [{ after: "nonsense" }, { after: Buffer.from('c1:["feed","x","1"]').toString("base64url") }, { first: 0 }, { first: 101 }]) {
      const result = await app.query(CHANGES, variables);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
  });
});

describe("transactions that commit out of order", () => {
  it("never make a reader skip a change: an entry shows only once every older writer has ended", async () => {
    const start = await feedEnd();
    if (app.databaseConfig.kind !== "server") {
      // The embedded database has one connection: writers run one after the other, and each
      // entry is readable from its commit, in order.
      const id = await create({});
      expect((await readAll(start)).changes.map((change) => change.eventId)).toEqual([id]);
      return;
    }
    const early = new Client({ connectionString: app.databaseConfig.url });
    await early.connect();
    try {
      // A writer that starts first (its transaction id is the lower) ...
      await early.query("BEGIN");
      await early.query(
        `INSERT INTO event_changes (kind, event_id, version, state) VALUES ('UPDATED', 2147483000, 2, '{}'::jsonb)`,
      );
      // ... while another writes after it and commits first.
      const later = await create({});
      // Read directly: settled() would wait for the open writer.
      const whileOpen = await readPage(start);
      // The later entry is held back: a reader that took it now would move past the earlier one.
      expect(whileOpen.changes).toEqual([]);
      await early.query("COMMIT");
      const after = await readAll(start);
      expect(after.changes.map((change) => change.eventId)).toEqual(["2147483000", later]);
      // Read from where the reader stood while the writer was open, nothing is lost either.
      expect((await readAll(whileOpen.end)).changes.map((change) => change.eventId)).toEqual(["2147483000", later]);
    } finally {
      await early.query("ROLLBACK").catch(() => undefined);
      await early.end();
      await app.db.prisma.$executeRaw`DELETE FROM event_changes WHERE event_id = 2147483000`;
    }
  });
});

describe("pruning", () => {
  it("parses how far back to keep", async () => {
    const { parseAge } = await import("../src/changes/change-pruning");
    expect([parseAge("90d"), parseAge("12h"), parseAge("30m")]).toEqual([90 * 86_400_000, 12 * 3_600_000, 30 * 60_000]);
    for (const bad of ["", "90", "d", "-1d", "1.5d", "90 days", "1y"]) expect(parseAge(bad)).toBeNull();
  });

  it("removes what is older, and tells a reader whose cursor lies before it to resync", async () => {
    const { pruneChanges } = await import("../src/changes/change-pruning");
    const start = await feedEnd();
    const first = await create({});
    const { changes, end } = await readAll(start);
    const stale = changes[0].cursor;
    expect(changes.map((change) => change.eventId)).toEqual([first]);
    await create({});
    const second = (await readAll(end)).changes[0];

    // Everything recorded so far is older than a cutoff a minute ahead (and readable: pruning
    // takes only what every reader can see).
    await settled();
    const { removed, horizon } = await pruneChanges(app.db.prisma, new Date(Date.now() + 60_000));
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(horizon).not.toBeNull();
    for (const after of [start, stale]) {
      const result = await app.query(CHANGES, { after });
      expect(result.errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([["CURSOR_EXPIRED", "after"]]);
    }
    // A reader that had read everything goes on: nothing was lost to it.
    const third = await create({});
    expect((await readAll(second.cursor)).changes.map((change) => change.eventId)).toEqual([third]);
    // Pruned revisions are gone with the entries.
    const revisions = await app.query<{ event: { version: number; revisions: unknown[] } }>(`query($id: ID!) { event(id: $id) { version revisions { version } } }`, {
      id: first,
    });
    expect(revisions.data!.event).toEqual({ version: 1, revisions: [] });
  });
});
