import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { criteriaSql, type EventCriteria } from "../events/event-criteria";
import { eventColumns, type EventRow } from "../events/event.columns";
import type { ChangeFeed } from "./change-feed";
import { comparePositions as compare, type FeedPosition } from "../changes/change-pruning";
import { entryMatches, toChange, type EntryRow } from "./feed.service";
import type { EventChange } from "./feed.types";

/** Entries read from the log at a time, for every subscriber at once. */
const BATCH = 500;
/** While an older transaction holds entries back, the hub looks again this often. */
const HELD_BACK_RETRY_MS = 25;
/** A look at the log even without a wake-up: a notification lost while LISTEN reconnected costs at most this. */
const POLL_MS = 1_000;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/** The start of the feed: before every entry. */
const ORIGIN: FeedPosition = { txid: "0", seq: "0" };

/** A change as delivered: the entry, with the event as it is now (null once deleted). */
export type DeliveredChange = EventChange & { event: EventRow | null };

/**
 * What a subscription is given of the feed. "changes" (timelineChanged): every entry whose event
 * matches the criteria before or after its change, tombstones included. "events" (eventChanged):
 * the entries that create or update an event, with the event as it is when read, if it matches
 * the criteria then (a deleted event is not delivered).
 */
export type FeedView = "changes" | "events";

interface Subscriber {
  /** The view and filter, shared by subscribers with the same ones. */
  group: string;
  cursor: FeedPosition;
  /** For a subscription from now: the transactions already committed when it began (see `start`), until the feed passes them. */
  past: CommittedBefore | null;
  deliver(change: DeliveredChange): void;
}

/**
 * The transactions a snapshot saw as committed beyond its xmin: those below its xmax and not
 * running. Their entries may still lie past the log's readable end (held back by an older writer),
 * yet they were made before the subscription began.
 */
interface CommittedBefore {
  xmax: bigint;
  running: ReadonlySet<string>;
}

interface Group {
  view: FeedView;
  criteria: EventCriteria | null;
  members: number;
}

/** An entry, with whether each distinct group takes it. */
type Row = EntryRow & { matches: boolean[] };
/** An event as it is now, with whether each distinct group's criteria match it. */
type EventNow = EventRow & { matches: boolean[] };

/**
 * The live change feed of one server process: every live subscription (timelineChanged, and
 * eventChanged as a view of the same feed) is a cursor into the change log, and the hub reads the
 * log for all of them together. A wake-up (the
 * ChangeFeed's announcement, LISTEN/NOTIFY on a server) or a poll makes it read the entries
 * after the slowest subscriber's cursor, a batch at a time, matching each batch against every
 * distinct filter in the same statement, and the batch's events in one more (matched there against
 * the filters of eventChanged, which are about the event as it is): two statements a batch
 * whatever the number of subscriptions, of either kind. Each subscriber is then given the entries
 * past its own cursor that its filter matches, in feed order, and its cursor moves to the batch's end.
 * A subscriber that starts from `after` is replayed from there by the same reads, so nothing is
 * lost or repeated between replay and live. When a read fails (the database is away), the hub
 * waits and reads again from the same cursors: subscriptions wait, they do not end.
 */
export class FeedHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly groups = new Map<string, Group>();
  private pumping: Promise<void> | null = null;
  private again = false;
  private readonly stop = new AbortController();
  private poller: NodeJS.Timeout | null = null;

  constructor(
    private readonly prisma: DbClient,
    private readonly feed: ChangeFeed,
    private readonly log: Logger,
  ) {}

  private listening = false;

  /** How often a read found entries held back by an older transaction and had to look again (tests). */
  heldBackWaits = 0;

  /** Live subscriptions on this process (health, tests). */
  get subscriptions(): number {
    return this.subscribers.size;
  }

  /**
   * The changes after `after` (from the feed's current end when null) that the view takes under
   * the criteria, until the returned iterator is returned.
   */
  async subscribe(criteria: EventCriteria | null, after: FeedPosition | null, view: FeedView = "changes"): Promise<AsyncIterableIterator<DeliveredChange>> {
    if (!this.listening) {
      // From the first subscriber on: a server without any never listens.
      this.listening = true;
      void this.listen();
    }
    const { cursor, past } = after ? { cursor: after, past: null } : await this.start();
    const queue: DeliveredChange[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const group = JSON.stringify([view, criteria]);
    const subscriber: Subscriber = {
      group,
      cursor,
      past,
      deliver: (change) => {
        queue.push(change);
        wake?.();
      },
    };
    const known = this.groups.get(group) ?? { view, criteria, members: 0 };
    known.members += 1;
    this.groups.set(group, known);
    this.subscribers.add(subscriber);
    this.ensurePolling();
    this.wake();
    const leave = () => {
      if (done) return;
      done = true;
      this.subscribers.delete(subscriber);
      known.members -= 1;
      if (known.members === 0) this.groups.delete(group);
      wake?.();
    };
    const iterator: AsyncIterableIterator<DeliveredChange> = {
      next: async () => {
        while (!queue.length && !done) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (queue.length) return { value: queue.shift()!, done: false };
        return { value: undefined, done: true };
      },
      return: async () => {
        leave();
        return { value: undefined, done: true };
      },
      throw: async (error?: unknown) => {
        leave();
        throw error;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  async close(): Promise<void> {
    this.stop.abort();
    if (this.poller) clearInterval(this.poller);
    await this.pumping?.catch(() => undefined);
  }

  /**
   * Where a subscription from now begins: after the last entry a reader can see, and past every
   * entry of a transaction already committed (read in one snapshot). Entries committed moments
   * before, still held back by an older transaction elsewhere on the server, are then not
   * delivered as if they were new.
   */
  private async start(): Promise<{ cursor: FeedPosition; past: CommittedBefore }> {
    // Ordered by the columns (c.), not by the text of the same names the SELECT returns: as
    // text, seq 9 sorts after 10 and a subscriber would start before entries already made.
    const [now] = await this.prisma.$queryRaw<Array<{ txid: string | null; seq: string | null; xmax: string; running: string[] }>>`
      SELECT last.txid, last.seq, pg_snapshot_xmax(s.snapshot)::text AS xmax,
             ARRAY(SELECT x::text FROM pg_snapshot_xip(s.snapshot) x) AS running
      FROM (SELECT pg_current_snapshot() AS snapshot) s
      LEFT JOIN LATERAL (
        SELECT c.txid::text AS txid, c.seq::text AS seq FROM event_changes c
        WHERE c.txid < pg_snapshot_xmin(s.snapshot) ORDER BY c.txid DESC, c.seq DESC LIMIT 1
      ) last ON TRUE`;
    return {
      cursor: now.txid && now.seq ? { txid: now.txid, seq: now.seq } : ORIGIN,
      past: { xmax: BigInt(now.xmax), running: new Set(now.running) },
    };
  }

  private async listen(): Promise<void> {
    try {
      for await (const _id of this.feed.subscribe(this.stop.signal)) this.wake();
    } catch (err) {
      if (!this.stop.signal.aborted) this.log.error({ err }, "feed hub: the change feed's announcements ended");
    }
  }

  private ensurePolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      if (this.subscribers.size) this.wake();
    }, POLL_MS);
    this.poller.unref();
  }

  /** Reads (again) once the read under way, if any, ends: wake-ups during a read are folded into one. */
  private wake(): void {
    if (this.stop.signal.aborted) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    for (let delay = RETRY_MIN_MS; !this.stop.signal.aborted && this.subscribers.size; ) {
      try {
        const more = await this.readBatch();
        if (more === "batch") continue;
        if (more === "held") this.heldBackWaits += 1;
        if (more === "held") await sleep(HELD_BACK_RETRY_MS, undefined, { signal: this.stop.signal }).then(() => (this.again = true));
        return;
      } catch (err) {
        if (this.stop.signal.aborted) return;
        // The database is away: the cursors stay where they were, and the read is tried again.
        this.log.warn({ err, retryInMs: delay }, "feed hub: could not read the change log; trying again");
        await sleep(delay, undefined, { signal: this.stop.signal }).catch(() => undefined);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  /** One batch for every subscriber; "batch" when there may be more right away, "held" when older writers hold entries back. */
  private async readBatch(): Promise<"batch" | "held" | "done"> {
    const subscribers = [...this.subscribers];
    const from = subscribers.map((s) => s.cursor).reduce((a, b) => (compare(a, b) <= 0 ? a : b));
    const groups = [...this.groups.keys()];
    const views = groups.map((key) => this.groups.get(key)!);
    const list = (conditions: Prisma.Sql[]) => Prisma.sql`ARRAY[${Prisma.join(conditions.length ? conditions : [Prisma.sql`TRUE`])}]::boolean[]`;
    const entryConditions = views.map(({ view, criteria }) =>
      view === "events" ? Prisma.sql`c.kind <> 'DELETED'` : criteria ? entryMatches(criteria) : Prisma.sql`TRUE`,
    );
    const rows = await this.prisma.$queryRaw<Row[]>`
      SELECT c.txid::text AS txid, c.seq::text AS seq, c.kind, c.event_id AS "eventId", c.version, c.at, c.fields,
             ${list(entryConditions)} AS matches
      FROM event_changes c
      WHERE c.txid < pg_snapshot_xmin(pg_current_snapshot())
        AND (c.txid, c.seq) > (${from.txid}::xid8, ${from.seq}::bigint)
      ORDER BY c.txid, c.seq
      LIMIT ${BATCH}`;
    if (rows.length) {
      const ids = [...new Set(rows.map((row) => row.eventId))];
      // eventChanged's filters are about the event as delivered: matched here, in the same read.
      const eventConditions = views.map(({ view, criteria }) => (view === "events" && criteria ? criteriaSql(criteria) : Prisma.sql`TRUE`));
      const events = await this.prisma.$queryRaw<EventNow[]>`
        SELECT ${eventColumns("e")}, ${list(eventConditions)} AS matches FROM events e WHERE e.id = ANY(${ids}::int[])`;
      const byId = new Map(events.map(({ matches, ...event }) => [event.id, { event: event as EventRow, matches }]));
      const groupIndex = new Map(groups.map((key, index) => [key, index]));
      for (const row of rows) {
        const position = { txid: row.txid, seq: row.seq };
        const now = byId.get(row.eventId);
        const change: DeliveredChange = { ...toChange(row), event: now?.event ?? null };
        for (const subscriber of subscribers) {
          if (!this.subscribers.has(subscriber) || compare(position, subscriber.cursor) <= 0) continue;
          subscriber.cursor = position;
          if (subscriber.past) {
            const txid = BigInt(row.txid);
            if (txid < subscriber.past.xmax && !subscriber.past.running.has(row.txid)) continue;
            // The feed comes in transaction id order: past the snapshot's end, nothing more to skip.
            if (txid >= subscriber.past.xmax) subscriber.past = null;
          }
          const index = groupIndex.get(subscriber.group);
          if (index !== undefined && row.matches[index] && (views[index].view === "changes" || now?.matches[index])) subscriber.deliver(change);
        }
      }
    }
    if (rows.length === BATCH) return "batch";
    const [{ held }] = await this.prisma.$queryRaw<[{ held: boolean }]>`
      SELECT EXISTS (SELECT 1 FROM event_changes WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())) AS held`;
    return held ? "held" : "done";
  }
}

