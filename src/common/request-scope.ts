import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestHandler } from "express";

/**
 * The request an asynchronous call belongs to, wherever it runs: error formatting and logging
 * deep inside Apollo see no request object, but can still name the request id the client got.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** Express middleware: everything that handles this request runs in its scope (after pino-http sets req.id). */
export function requestScope(): RequestHandler {
  return (req, _res, next) => scope.run({ requestId: String(req.id) }, next);
}
