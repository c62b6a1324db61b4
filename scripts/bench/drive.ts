import path from "node:path";
import autocannon from "autocannon";
import { Client } from "pg";
import type { BoundQuery } from "./page-sql";

export interface RunStats {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, bodies with GraphQL errors, socket errors and timeouts. */
  failures: number;
}

const VERIFY_BODY = path.join(__dirname, "verify-body.cjs");

/**
 * Drives POST /graphql with autocannon from a worker thread (so the load generator does not share
 * the server's event loop), cycling through `bodies` on each connection.
 */
export async function driveHttp(url: string, bodies: readonly string[], seconds: number, connections: number): Promise<RunStats> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    workers: 1,
    // In workers mode autocannon takes a path to a module where it would take a function.
    verifyBody: VERIFY_BODY as unknown as autocannon.Options["verifyBody"],
    requests: bodies.map((body) => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json" }, body })),
  });
  const requests = result.requests.total;
  return {
    requests,
    seconds: result.duration,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}

/**
 * Drives the bound's statements straight through `pg`: `connections` clients, each sending the
 * next statement (round-robin over `queries`) as soon as the last one answered.
 */
export async function driveSql(url: string, queries: readonly BoundQuery[], seconds: number, connections: number): Promise<RunStats> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = c; performance.now() < deadline; i++) {
          const query = queries[i % queries.length];
          const sent = performance.now();
          try {
            await client.query(query.text, query.values);
            latencies.push(performance.now() - sent);
          } catch {
            failures += 1;
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures,
  };
}

function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
