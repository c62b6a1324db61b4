import type { ApolloServerPlugin } from "@apollo/server";
import cors from "cors";
import type { RequestHandler } from "express";
import { ErrorCode } from "../common/errors";
import type { Context } from "../context";
import { sendGraphQLError } from "../http/http-errors";

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
 * Answers 503 TIMEOUT when a request has not been answered in `ms`. GraphQL execution cannot be
 * interrupted, so whatever it sends afterwards is dropped; the database's statement timeout is
 * what stops the work itself.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      sendGraphQLError(req, res, 503, ErrorCode.TIMEOUT, `The request took longer than the limit of ${ms} ms`);
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
