import type { ApolloServerPlugin } from "@apollo/server";
import cors from "cors";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import type { SecurityConfig } from "../config";
import type { Context } from "../context";

/** CORS for the listed origins only (`*` for any); with none listed, browsers keep to the same origin. */
export function corsFor(origins: string[]): RequestHandler {
  if (!origins.length) return (_req, _res, next) => next();
  return cors({
    origin: origins.includes("*") ? true : origins,
    methods: ["GET", "POST", "OPTIONS"],
    // Apollo's CSRF prevention asks for one of these on requests that a form could also send.
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name"],
    maxAge: 600,
  });
}

/** Gives every error the request's id, which the logs carry too, so a report can be traced. */
export function requestIdPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}

/**
 * Requests refused before GraphQL sees them (a body over the limit, JSON that does not parse)
 * get a GraphQL-shaped error with the limit named, instead of Express's HTML page.
 */
export function httpErrorHandler(log: Logger, security: SecurityConfig): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message =
      error?.type === "entity.too.large"
        ? `Request body is larger than the limit of ${security.bodyLimitBytes} bytes`
        : error?.type === "entity.parse.failed"
          ? "Request body is not valid JSON"
          : status < 500
            ? String(error?.message ?? "Bad request")
            : "Internal server error";
    if (status >= 500) log.error({ err: error }, "request failed");
    res.status(status).json({
      errors: [{ message, extensions: { code: status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR", requestId: String(req.id) } }],
    });
  };
}

/**
 * Answers 503 TIMEOUT when a request has not been answered in `ms`. GraphQL execution cannot be
 * interrupted, so whatever it sends afterwards is dropped; the database's statement timeout is
 * what stops the work itself.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.status(503).json({
        errors: [{ message: `The request took longer than the limit of ${ms} ms`, extensions: { code: "TIMEOUT", requestId: String(req.id) } }],
      });
      // The late answer has nowhere to go: make its writes no-ops instead of errors.
      res.status = () => res;
      res.setHeader = () => res;
      res.send = () => res;
    }, ms);
    timer.unref();
    res.once("close", () => clearTimeout(timer));
    res.once("finish", () => clearTimeout(timer));
    next();
  };
}
