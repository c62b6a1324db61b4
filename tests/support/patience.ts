/**
 * How long a test waits for a condition it cannot be told of (a feed's horizon, a subscription
 * registered, a background job done) before it fails. Generous, because a CI machine was seen
 * running the suite seven times slower than a quiet one; a wait returns as soon as its condition
 * holds, so the bound costs nothing when things are well.
 */
export const PATIENCE_MS = 60_000;
