import { createHash } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import { GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import type { SecurityConfig } from "../config";
import type { Context } from "../context";
import { requestCost } from "./request-cost";

/**
 * Per-client token buckets: each client (its bearer token, else its IP) gets `points` per
 * window, refilled continuously, and each operation spends its cost. Kept in process memory:
 * behind a load balancer each instance limits on its own (see the README).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { points: number; at: number }>();

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends `cost` for `client`; returns 0 if allowed, else the seconds until it would be. */
  spend(client: string, cost: number): number {
    const now = this.now();
    const rate = this.points / this.windowMs;
    const bucket = this.buckets.get(client) ?? { points: this.points, at: now };
    bucket.points = Math.min(this.points, bucket.points + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 100_000) this.forgetFull();
    if (cost > this.points) return Math.ceil(this.windowMs / 1000);
    if (bucket.points >= cost) {
      bucket.points -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.points) / rate / 1000));
  }

  private forgetFull(): void {
    for (const [client, bucket] of this.buckets) if (bucket.points >= this.points) this.buckets.delete(client);
  }
}

/** The client a request is counted against: a hash of its token, else its address. */
export function clientKey(authorization: string | undefined, ip: string | undefined): string {
  if (authorization) return `token:${createHash("sha256").update(authorization).digest("hex").slice(0, 32)}`;
  return `ip:${ip ?? "unknown"}`;
}

/**
 * Charges an operation's cost to its client; the RATE_LIMITED error (HTTP 429 with Retry-After
 * over HTTP) when over the limit, else null. HTTP and WebSocket operations share one limiter.
 */
export function chargeOperation(
  limiter: RateLimiter,
  config: SecurityConfig["rateLimit"],
  schema: GraphQLSchema,
  operation: { document: DocumentNode; variables?: Record<string, unknown>; operationName?: string | null; client: string },
): GraphQLError | null {
  const cost = requestCost(schema, operation.document, operation.variables, operation.operationName ?? undefined);
  const retryAfter = limiter.spend(operation.client, cost);
  if (retryAfter === 0) return null;
  return new GraphQLError(
    `Rate limit exceeded: this operation costs ${cost} of ${config.points} points per ${config.windowMs / 1000} s; retry after ${retryAfter} s`,
    {
      extensions: {
        code: "RATE_LIMITED",
        retryAfter,
        // Apollo reads a HeaderMap here; graphql-yoga's typings (pulled in by GraphiQL) claim a plain record.
        http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) as unknown as Record<string, string> },
      },
    },
  );
}

/** Charges each HTTP operation before it executes. */
export function rateLimitPlugin(
  limiter: RateLimiter,
  config: SecurityConfig["rateLimit"],
  schema: GraphQLSchema,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, request, operationName }) {
          const refusal = chargeOperation(limiter, config, schema, {
            document,
            variables: request.variables,
            operationName,
            client: contextValue.client,
          });
          if (refusal) throw refusal;
        },
      };
    },
  };
}
