import { setTimeout as sleep } from "node:timers/promises";
import { Client, Pool, type Notification } from "pg";
import type { Logger } from "pino";
import { InProcessChangeFeed, type ChangeFeed } from "./change-feed";

/** The channel every process on the database LISTENs to; payloads are comma-separated event ids. */
export const CHANGE_CHANNEL = "timeline_event_changed";

// Postgres refuses a NOTIFY payload of 8000 bytes or more; ids are ASCII, so characters are bytes.
const MAX_PAYLOAD = 7999;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 30_000;

/**
 * A change feed shared by every process on one Postgres database, over LISTEN/NOTIFY. Each
 * process keeps one connection that LISTENs and fans what it hears out to its own subscribers;
 * announcing sends NOTIFY, so the writing process hears its own changes through LISTEN too,
 * exactly once, like every other process. Notifications sent while the listening connection
 * is down are lost: Postgres keeps none for a session that is not there.
 */
export class PgChangeFeed implements ChangeFeed {
  private readonly local = new InProcessChangeFeed();
  private readonly closing = new AbortController();
  private listener: Client | null = null;

  private constructor(
    private readonly url: string,
    private readonly notifier: Pool,
    private readonly log: Logger,
  ) {}

  /** Connects and LISTENs before resolving, so a subscriber never starts on a deaf feed. */
  static async start(url: string, log: Logger): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(url, new Pool({ connectionString: url, max: 2, application_name: "timeline-notify" }), log);
    feed.notifier.on("error", (err) => log.warn({ err }, "change feed: idle notify connection failed"));
    try {
      await feed.listen();
    } catch (err) {
      await feed.notifier.end();
      throw err;
    }
    return feed;
  }

  /**
   * Sends one NOTIFY per chunk of ids, in one statement (so one transaction: delivered together).
   * The write it announces has committed already, so a failure here is logged, not thrown: the
   * caller's write succeeded, and only live subscribers miss this one update.
   */
  async eventsChanged(eventIds: readonly number[]): Promise<void> {
    if (eventIds.length === 0) return;
    try {
      await this.notifier.query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", [
        CHANGE_CHANNEL,
        chunkIds(eventIds),
      ]);
    } catch (err) {
      this.log.error({ err, count: eventIds.length }, "change feed: could not announce changed events");
    }
  }

  subscribe(signal: AbortSignal): AsyncIterable<number> {
    return this.local.subscribe(signal);
  }

  async close(): Promise<void> {
    this.closing.abort();
    const listener = this.listener;
    this.listener = null;
    await Promise.all([listener?.end().catch(() => undefined), this.notifier.end(), this.local.close()]);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.url, keepAlive: true, application_name: "timeline-listen" });
    client.on("notification", (message) => this.heard(message));
    // pg emits "error" then "end" when the connection drops; without a listener "error" would crash the process.
    client.on("error", (err) => this.log.warn({ err }, "change feed: listening connection failed"));
    client.on("end", () => {
      if (this.listener !== client || this.closing.signal.aborted) return;
      this.listener = null;
      void this.reconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.listener = client;
  }

  /** Tries again with exponential backoff (and jitter, so processes do not retry in step) until closed. */
  private async reconnect(): Promise<void> {
    this.log.warn("change feed: listening connection lost, reconnecting");
    for (let delay = RECONNECT_MIN_MS; !this.closing.signal.aborted; delay = Math.min(delay * 2, RECONNECT_MAX_MS)) {
      try {
        await sleep(delay / 2 + Math.random() * (delay / 2), undefined, { signal: this.closing.signal });
        await this.listen();
        if (this.closing.signal.aborted) {
          // Closed while connecting: close() found no listener to end, so end this one here.
          const listener = this.listener;
          this.listener = null;
          await listener?.end();
        } else {
          this.log.info("change feed: listening again");
        }
        return;
      } catch (err) {
        if (this.closing.signal.aborted) return;
        this.log.warn({ err, retryInMs: delay * 2 }, "change feed: reconnect failed");
      }
    }
  }

  private heard(message: Notification): void {
    if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
    const ids = message.payload.split(",").map(Number).filter(Number.isSafeInteger);
    void this.local.eventsChanged(ids);
  }
}

/** Comma-separated ids in payloads of at most `maxLength` characters, under Postgres's NOTIFY limit by default. */
export function chunkIds(eventIds: readonly number[], maxLength = MAX_PAYLOAD): string[] {
  const chunks: string[] = [];
  let chunk = "";
  for (const id of eventIds) {
    const text = String(id);
    if (chunk && chunk.length + 1 + text.length > maxLength) {
      chunks.push(chunk);
      chunk = "";
    }
    chunk = chunk ? `${chunk},${text}` : text;
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}
