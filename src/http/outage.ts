import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import { ErrorCode } from "../common/errors";
import type { UnavailableDatabase } from "../common/format-error";

const PROBE_EVERY_MS = 1_000;

/**
 * The database being out of reach, as one event rather than one per request: the first request
 * that fails for it logs a warning and starts probing every second; the first probe that answers
 * logs that it is back. In between, failing requests log nothing more (each still answers 503
 * with Retry-After). The probe asks every database the server reads (the primary and each
 * replica), so a replica that is down keeps the outage open until it answers too.
 */
export class DatabaseOutage implements UnavailableDatabase {
  /** What a client is told to wait before trying again. */
  readonly retryAfterSeconds = 5;
  private down = false;
  private stopped = false;
  private probe: NodeJS.Timeout | null = null;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  /** A request failed because the database could not be reached. */
  failed(error: unknown): void {
    if (this.down || this.stopped) return;
    this.down = true;
    this.log.warn({ err: error }, "database unreachable: requests are answered 503 until it is back");
    this.schedule();
  }

  /** No probe runs after this, and none starts. */
  stop(): void {
    this.stopped = true;
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.probe = setTimeout(() => {
      this.ping().then(
        () => {
          if (this.stopped) return;
          this.down = false;
          this.probe = null;
          this.log.info("database reachable again");
        },
        () => this.schedule(),
      );
    }, PROBE_EVERY_MS);
    this.probe.unref();
  }
}

/**
 * A GraphQL response that failed because the database could not be reached, and served no data,
 * goes out as HTTP 503 with Retry-After, so that proxies, clients and retries treat it as the
 * outage it is. One that served part of its data stays 200 with its errors.
 */
export function unavailablePlugin(outage: UnavailableDatabase): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const { errors, data } = response.body.singleResult;
          if (!errors?.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          response.http.status = 503;
          response.http.headers.set("retry-after", String(outage.retryAfterSeconds));
        },
      };
    },
  };
}
