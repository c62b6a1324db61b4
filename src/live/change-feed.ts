import { EventEmitter, on } from "node:events";
import type { ChangeNotifier } from "../events/change-notifier";

/**
 * Announces that events were created or updated, to every subscriber of this process (and, for
 * a feed over Postgres, of every process on the same database): the process's FeedHub, which
 * then reads the change log for every live subscription. Only ids travel, so a payload never
 * carries stale or unfiltered data.
 */
export interface ChangeFeed extends ChangeNotifier {
  /**
   * Ids of changed events, as they are announced, until the signal aborts. Listens from the
   * call on (not from the first `next()`), so nothing announced after it returns is missed.
   */
  subscribe(signal: AbortSignal): AsyncIterable<number>;
  close(): Promise<void>;
}

/** The feed for one process: the embedded database has only one. */
export class InProcessChangeFeed implements ChangeFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async eventsChanged(eventIds: readonly number[]): Promise<void> {
    for (const id of eventIds) this.emitter.emit("event", id);
  }

  subscribe(signal: AbortSignal): AsyncIterable<number> {
    if (signal.aborted) return (async function* () {})();
    // on() attaches its listener now and queues what arrives until the caller starts reading.
    const announced = on(this.emitter, "event", { signal });
    return (async function* () {
      try {
        for await (const [id] of announced) yield id as number;
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    })();
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
