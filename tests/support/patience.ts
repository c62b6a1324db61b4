/**
 * How long a test waits for a condition it cannot be told of (a feed's horizon, a subscription
 * registered, a background job done) before it fails. Generous, because a CI machine was seen
 * running the suite seven times slower than a quiet one; a wait returns as soon as its condition
 * holds, so the bound costs nothing when things are well.
 */
export const PATIENCE_MS = 60_000;

/**
 * Asks `probe` every 10 ms until it answers something other than undefined, and returns that;
 * fails after PATIENCE_MS with `what` (read at the end, so it can tell the state it gave up in).
 */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string | (() => string)): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${PATIENCE_MS / 1000} s for ${typeof what === "string" ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
