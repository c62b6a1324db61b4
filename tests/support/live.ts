import { Writable } from "node:stream";
import { createClient, type Client, type ClientOptions, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";
import type { ChangeFeed } from "../../src/live/change-feed";

/**
 * A change feed that tells the test when the server starts listening for a subscriber: the
 * graphql-transport-ws protocol has no "subscribed" message, and a change announced before
 * the server listens is rightly never delivered. Feeds listen from subscribe() on, so once
 * `nextSubscription()` resolves, anything announced reaches that subscriber.
 */
export class ObservedFeed implements ChangeFeed {
  /** How many subscriptions the server has started on this feed. */
  started = 0;
  private waiting: Array<(signal: AbortSignal) => void> = [];

  constructor(readonly inner: ChangeFeed) {}

  /** Resolves with the abort signal of the next subscription started: it aborts when the server lets go. */
  nextSubscription(): Promise<AbortSignal> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  eventsChanged(eventIds: readonly number[]): Promise<void> {
    return this.inner.eventsChanged(eventIds);
  }

  subscribe(signal: AbortSignal): AsyncIterable<number> {
    const ids = this.inner.subscribe(signal);
    this.started += 1;
    this.waiting.shift()?.(signal);
    return ids;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Resolves when the signal aborts: the server let go of that subscription's feed. */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** A graphql-ws client over a real WebSocket; it does not retry, so a failure shows. */
export function wsClient(httpBase: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({ url: `${httpBase.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, ...options });
}

/** A result as graphql-ws hands it over. */
export type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** The next message of a subscription; fails if the subscription ended instead. */
export async function nextResult(results: AsyncIterator<Result>): Promise<Result> {
  const { value, done } = await results.next();
  if (done) throw new Error("The subscription ended without a result");
  return value;
}

/** A pino destination that keeps log lines and says when one with a given message has been written. */
export class LogCapture extends Writable {
  readonly lines: Array<{ msg: string; [key: string]: unknown }> = [];
  private waiting: Array<{ msg: string; times: number; resolve: () => void }> = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(JSON.parse(chunk.toString()));
    this.waiting = this.waiting.filter((wait) => (this.count(wait.msg) >= wait.times ? (wait.resolve(), false) : true));
    done();
  }

  /** Resolves once `times` lines in all carry this message. */
  logged(msg: string, times = 1): Promise<void> {
    if (this.count(msg) >= times) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ msg, times, resolve }));
  }

  count(msg: string): number {
    return this.lines.filter((line) => line.msg === msg).length;
  }
}
