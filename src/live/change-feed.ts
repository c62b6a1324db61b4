import { EventEmitter, on } from "node:events";

/**
 * Announces that events were created or updated, to every subscriber of this process (and, for
 * a feed over Postgres, of every process on the same database). Only ids travel: subscribers
 * read the event themselves, so a payload never carries stale or unfiltered data.
 */
export interface ChangeFeed {
  /** Called after the write that changed these events has committed. */
  eventsChanged(eventIds: readonly number[]): Promise<void>;
  /** Ids of changed events, as they are announced, until the signal aborts. */
  subscribe(signal: AbortSignal): AsyncIterable<number>;
  close(): Promise<void>;
}

/** The feed for one process: the embedded database has only one. */
export class InProcessChangeFeed implements ChangeFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async eventsChanged(eventIds: readonly number[]): Promise<void> {
    for (const id of eventIds) this.emitter.emit("event", id);
  }

  async *subscribe(signal: AbortSignal): AsyncIterable<number> {
    try {
      for await (const [id] of on(this.emitter, "event", { signal })) yield id as number;
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
