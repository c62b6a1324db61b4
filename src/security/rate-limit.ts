import type { Auth } from "../common/auth";

/**
 * Per-client token buckets: each client (clientKey: its valid token, else its address) gets `points` per
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

/**
 * The client a request is counted against: the token it sends when that token authenticates
 * (Auth.tokenId, the same however the header spells it), else its address. Any other
 * Authorization header counts as the address it came from, so a client cannot earn a fresh
 * bucket by sending a new made-up token with each request.
 */
export function clientKey(auth: Pick<Auth, "tokenId">, ip: string | undefined): string {
  return auth.tokenId ? `token:${auth.tokenId}` : `ip:${ip ?? "unknown"}`;
}
