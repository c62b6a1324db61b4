/**
 * Limits for interactive transactions. Prisma's defaults (2 s to start, 5 s to finish) are
 * shorter than a busy machine needs for an article of many events, and a transaction that
 * times out is refused whole, so these leave room; a statement that hangs is still cut by the
 * database's statement timeout.
 */
export const WRITE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;

/** An article of up to 500 events is written in one transaction. */
export const INGEST_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;
