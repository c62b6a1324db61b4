import type http from "node:http";
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { Context } from "../context";
import { clientKey } from "../security/rate-limit";
import { prepareOperation, type OperationLimits } from "./websocket-operation";

export interface WebSocketDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  /** Builds an operation's context the way an HTTP request's is built: fresh loaders each time. */
  createContext(authorization: string | undefined, ip: string | undefined): Context;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  log: Logger;
  /** The HTTP endpoint's limits: validation rules, token count, introspection. */
  limits?: OperationLimits;
  /** The largest message a client may send; the HTTP endpoint's body limit. */
  maxPayloadBytes?: number;
}

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 (going away), ending its subscriptions, and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * GraphQL over WebSocket (the graphql-transport-ws protocol of graphql-ws) on the HTTP server's
 * `/graphql`, for subscriptions; queries and mutations work too. Writes authenticate with a
 * bearer token in `connectionParams.Authorization` or the upgrade request's header, never a
 * cookie, so a page on another site cannot borrow a visitor's rights over a socket.
 */
export function serveWebSocket(deps: WebSocketDeps): WebSocketEndpoint {
  const { httpServer, schema, createContext, formatError, log, limits = {}, maxPayloadBytes = 100 * 1024 } = deps;
  // ws would otherwise take messages of up to 100 MiB.
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: maxPayloadBytes });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const server = useServer(
    {
      schema,
      onSubscribe: (ctx, _id, payload) =>
        prepareOperation(schema, payload, limits, clientKey(authorizationOf(ctx), ctx.extra.request.socket.remoteAddress)),
      context: (ctx) => createContext(authorizationOf(ctx), ctx.extra.request.socket.remoteAddress),
      // graphql-ws sends errors as they are; shape them as the HTTP path does (codes kept, the unexpected masked and logged).
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onClose: (_ctx, code, reason) => log.debug({ code, reason }, "websocket closed"),
    },
    wss,
  );
  return {
    async close() {
      await server.dispose();
    },
  };
}

/** The bearer token a client put in `connectionParams`, else the upgrade request's header; reads need none. */
function authorizationOf(ctx: { connectionParams?: Record<string, unknown>; extra: { request: http.IncomingMessage } }): string | undefined {
  const value = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
  return typeof value === "string" ? value : ctx.extra.request.headers.authorization;
}
