import { setTimeout as sleep } from "node:timers/promises";
import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "./database";

/**
 * Limits for interactive transactions. Prisma's defaults (2 s to start, 5 s to finish) are
 * shorter than a busy machine needs for an article of many events, and a transaction that
 * times out is refused whole, so these leave room; a statement that hangs is still cut by the
 * database's statement timeout.
 */
export const WRITE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;

/** An article of up to 500 events is written in one transaction. */
export const INGEST_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

/** How often a transaction that lost a deadlock or a serialization conflict is run again. */
export const CONFLICT_ATTEMPTS = 3;

const CONFLICT_SQLSTATES = new Set(["40P01", "40001"]);

/**
 * Postgres aborted the transaction for a deadlock (40P01) or a serialization failure (40001):
 * Prisma's P2034 from a model query, the SQLSTATE itself from a raw one.
 */
export function isWriteConflict(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2034") return true;
  const meta = error.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  return [meta?.code, meta?.driverAdapterError?.cause?.originalCode].some((code) => typeof code === "string" && CONFLICT_SQLSTATES.has(code));
}

/**
 * Runs `write` in an interactive transaction, and again (up to CONFLICT_ATTEMPTS in all, after a
 * short random pause) when Postgres aborts it for a deadlock or a serialization failure. Writers
 * meet on shared rows (the rollups' per-country months, upserted participants and places) and
 * can take them in different orders; the transaction that loses did nothing, so running it
 * again is safe, and it is what the client would otherwise have to do.
 */
export async function inWriteTransaction<T>(
  prisma: DbClient,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
  options: { maxWait: number; timeout: number } = WRITE_TRANSACTION,
  onConflict: (attempt: number) => void = () => undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(write, options);
    } catch (error) {
      if (attempt >= CONFLICT_ATTEMPTS || !isWriteConflict(error)) throw error;
      onConflict(attempt);
      await sleep(10 + Math.random() * 40 * attempt);
    }
  }
}
