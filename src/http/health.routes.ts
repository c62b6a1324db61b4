import type { RequestHandler } from "express";
import type { Database } from "../db/database";
import type { DatabaseOutage } from "./outage";

/**
 * GET /health: 200 with the database's kind and latency, 503 when the primary cannot be reached.
 * With replicas, each is pinged too; one down still answers 200, as "degraded": the instance
 * serves, but queries routed to that replica fail until it is back.
 */
export function healthRoute(db: Database, outage: DatabaseOutage): RequestHandler {
  const timed = async (ping: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await ping();
      return { ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      return { ok: false, err };
    }
  };
  return async (_req, res) => {
    const [{ err, ...primary }, ...replicas] = await Promise.all([
      timed(() => db.ping()),
      ...db.replicas.map((replica) => timed(() => replica.$queryRaw`SELECT 1`).then(({ err: _err, ...result }) => result)),
    ]);
    // An outage is logged once, however often a monitor asks (DatabaseOutage).
    if (!primary.ok) outage.failed(err);
    const status = !primary.ok ? "unavailable" : replicas.every((replica) => replica.ok) ? "ok" : "degraded";
    res.status(primary.ok ? 200 : 503).json({ status, database: { kind: db.kind, ...primary }, ...(replicas.length ? { replicas } : {}) });
  };
}
