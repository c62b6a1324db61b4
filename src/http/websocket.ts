import type http from "node:http";
import { getOperationAST, GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { ErrorCode } from "../common/errors";
import type { SecurityConfig } from "../config";
import type { Context } from "../context";
import { prepareOperation, type OperationLimits } from "./websocket-operation";

export interface WebSocketDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  /** Builds an operation's context the way an HTTP request's is built: fresh loaders each time. */
  createContext(authorization: string | undefined, ip: string | undefined): Context;
  /** Whose budgets an operation counts against (clientKey): its token if it authenticates, else its address. */
  clientOf(authorization: string | undefined, ip: string | undefined): string;
  /** The client's address as the HTTP side reads it (X-Forwarded-For only from trusted proxies). */
  addressOf(request: http.IncomingMessage): string | undefined;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  log: Logger;
  /** The HTTP endpoint's limits: validation rules, token count, introspection, cost and rate. */
  limits?: OperationLimits;
  /** Subscriptions per socket and per client, sockets per client address. */
  caps: SecurityConfig["subscriptions"];
  /** The largest message a client may send; the HTTP endpoint's body limit. */
  maxPayloadBytes?: number;
}

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 (going away), ending its subscriptions, and stops accepting new ones. */
  close(): Promise<void>;
}

/** What a socket is: who is on it, and the subscriptions it holds. */
interface SocketState {
  authorization: string | undefined;
  ip: string | undefined;
  client: string;
  subscriptions: Set<string>;
}

/**
 * GraphQL over WebSocket (the graphql-transport-ws protocol of graphql-ws) on the HTTP server's
 * `/graphql`, for subscriptions; queries and mutations work too. Writes authenticate with a
 * bearer token in `connectionParams.Authorization` or the upgrade request's header, never a
 * cookie, so a page on another site cannot borrow a visitor's rights over a socket. A client
 * address opens at most `caps.socketsPerClient` sockets (more are refused at the upgrade with
 * HTTP 429), and holds at most `caps.perSocket` subscriptions a socket and `caps.perClient` in
 * all (more are refused with TOO_MANY_SUBSCRIPTIONS; the socket and its other operations go on).
 */
export function serveWebSocket(deps: WebSocketDeps): WebSocketEndpoint {
  const { httpServer, schema, createContext, clientOf, addressOf, formatError, log, limits = {}, caps, maxPayloadBytes = 100 * 1024 } = deps;
  const socketsByAddress = new Map<string, number>();
  const subscriptionsByClient = new Map<string, number>();
  const states = new WeakMap<object, SocketState>();
  const count = (counts: Map<string, number>, key: string, delta: number) => {
    const next = (counts.get(key) ?? 0) + delta;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };

  const wss = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    // ws would otherwise take messages of up to 100 MiB.
    maxPayload: maxPayloadBytes,
    verifyClient: ({ req }, done) => {
      const address = String(addressOf(req));
      if ((socketsByAddress.get(address) ?? 0) < caps.socketsPerClient) return done(true);
      done(false, 429, `Too many open sockets from this address: the limit is ${caps.socketsPerClient}`);
    },
  });
  wss.on("connection", (socket, request) => {
    const address = String(addressOf(request));
    count(socketsByAddress, address, 1);
    socket.once("close", () => count(socketsByAddress, address, -1));
  });

  const stateOf = (ctx: { connectionParams?: Record<string, unknown>; extra: { request: http.IncomingMessage } }): SocketState => {
    let state = states.get(ctx);
    if (!state) {
      const authorization = authorizationOf(ctx);
      const ip = addressOf(ctx.extra.request);
      state = { authorization, ip, client: clientOf(authorization, ip), subscriptions: new Set() };
      states.set(ctx, state);
    }
    return state;
  };
  const release = (state: SocketState, id: string) => {
    if (state.subscriptions.delete(id)) count(subscriptionsByClient, state.client, -1);
  };
  const refuse = (message: string) => [new GraphQLError(message, { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS } })];

  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const server = useServer(
    {
      schema,
      onSubscribe: (ctx, id, payload) => {
        const state = stateOf(ctx);
        const prepared = prepareOperation(schema, payload, limits);
        if (Array.isArray(prepared)) return prepared;
        const subscription = getOperationAST(prepared.document, payload.operationName)?.operation === "subscription";
        // The caps before the rate limit: a subscription refused for want of a place costs nothing.
        if (subscription && state.subscriptions.size >= caps.perSocket) {
          return refuse(`Too many subscriptions on this socket: the limit is ${caps.perSocket}; end one first, or open another socket`);
        }
        if (subscription && (subscriptionsByClient.get(state.client) ?? 0) >= caps.perClient) {
          return refuse(`Too many subscriptions for this client: the limit is ${caps.perClient}; end one first`);
        }
        const refusal = limits.admit?.({ document: prepared.document, variables: payload.variables, operationName: payload.operationName, client: state.client });
        if (refusal) return [refusal];
        if (subscription) {
          state.subscriptions.add(id);
          count(subscriptionsByClient, state.client, 1);
        }
        return prepared;
      },
      context: (ctx) => {
        const state = stateOf(ctx);
        return createContext(state.authorization, state.ip);
      },
      // A subscription's place is given back the moment it is ended (by the client, or its socket
      // closing), before anything else on the socket is read: the next subscribe sees it free.
      onOperation: (ctx, id, _payload, _args, result) => {
        if (!isAsyncIterator(result)) return undefined;
        const state = stateOf(ctx);
        const end = result.return?.bind(result);
        return Object.assign(result, {
          return: (value?: unknown) => {
            release(state, id);
            return end ? end(value) : Promise.resolve({ done: true as const, value: undefined });
          },
        });
      },
      // graphql-ws sends errors as they are; shape them as the HTTP path does (codes kept, the unexpected masked and logged).
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
      onError: (ctx, id, _payload, errors) => {
        release(stateOf(ctx), id);
        return format(errors);
      },
      onComplete: (ctx, id) => release(stateOf(ctx), id),
      onClose: (ctx, code, reason) => {
        const state = stateOf(ctx);
        for (const id of [...state.subscriptions]) release(state, id);
        log.debug({ code, reason }, "websocket closed");
      },
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

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof (value as AsyncIterator<unknown> | null)?.next === "function";
}
