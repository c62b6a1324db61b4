import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { isDatabaseUnavailable, unavailableMessage } from "../common/database-errors";
import { ErrorCode } from "../common/errors";
import type { UnavailableDatabase } from "../common/format-error";

/**
 * The one shape of an error answered by a route that is not GraphQL (exports, pages, unknown
 * paths): `{"error": {"code", "message", "requestId"}}`, the code one of ErrorCode's, the request
 * id the one the response header and the log line carry.
 */
export function sendError(req: Request, res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ error: { code, message, requestId: String(req.id) } });
}

/**
 * The same for GraphQL's endpoint, as a GraphQL client expects an error: `{"errors": [{message,
 * extensions: {code, requestId}}]}`.
 */
export function sendGraphQLError(req: Request, res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, requestId: String(req.id) } }] });
}

/** Paths nothing serves: NOT_FOUND in the routes' error shape, instead of Express's HTML page. */
export function notFoundHandler(): RequestHandler {
  return (req, res) => sendError(req, res, 404, ErrorCode.NOT_FOUND, `Nothing at ${req.method} ${req.path}`);
}

/**
 * Requests refused before a route could answer (a body over the limit, JSON that does not parse)
 * and errors a route let through: named, with the limit where there is one, in the shape of the
 * path's route (GraphQL's at /graphql). The database out of reach is 503 with Retry-After;
 * anything unexpected is logged and masked.
 */
export function httpErrorHandler(log: Logger, bodyLimitBytes: number, unavailable: UnavailableDatabase): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const send = req.originalUrl.startsWith("/graphql") ? sendGraphQLError : sendError;
    if (isDatabaseUnavailable(error)) {
      unavailable.failed(error);
      res.setHeader("retry-after", String(unavailable.retryAfterSeconds));
      send(req, res, 503, ErrorCode.SERVICE_UNAVAILABLE, unavailableMessage(unavailable.retryAfterSeconds));
      return;
    }
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message =
      error?.type === "entity.too.large"
        ? `Request body is larger than the limit of ${bodyLimitBytes} bytes`
        : error?.type === "entity.parse.failed"
          ? "Request body is not valid JSON"
          : status < 500
            ? String(error?.message ?? "Bad request")
            : "Internal server error";
    if (status >= 500) log.error({ err: error }, "request failed");
    const code = status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_SERVER_ERROR;
    send(req, res, status, code, message);
  };
}
