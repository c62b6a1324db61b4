import { Writable } from "node:stream";
import { createClient, type Client, type ClientOptions, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";
import { eventually } from "./patience";
import type { TestApp } from "./test-app";

/**
 * Resolves once `app`'s server holds `count` live subscriptions, eventChanged and timelineChanged
 * alike (its FeedHub serves both): the graphql-transport-ws protocol has no "subscribed" message,
 * and a subscription starts where the feed stands when the server registers it, so what is written
 * after this reaches it. A wait on that condition, bounded, not on the clock.
 */
export async function liveSubscriptions(app: TestApp, count: number): Promise<void> {
  const hub = app.server.createContext().services.feedHub!;
  await eventually(() => (hub.subscriptions === count ? true : undefined), () => `${count} subscription(s), ${hub.subscriptions} live`);
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
