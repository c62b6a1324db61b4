import http from "node:http";
import { constants as zlib } from "node:zlib";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import compression from "compression";
import express from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import proxyaddr from "proxy-addr";
import type { Database } from "./db/database";
import { createErrorFormatter } from "./common/format-error";
import { requestScope } from "./common/request-scope";
import { exportRoutes } from "./http/export.routes";
import { Auth } from "./common/auth";
import type { Context } from "./context";
import { createLoaders, createServices } from "./services";
import { InProcessChangeFeed, type ChangeFeed } from "./live/change-feed";
import { serveWebSocket } from "./http/websocket";
import { buildTimelineSchema } from "./schema";
import { DEFAULT_DATES, DEFAULT_READ_AFTER_WRITE_MS, DEFAULT_SECURITY, type DateConfig, type SecurityConfig } from "./config";
import { defaultDateRules } from "./events/event-dates";
import { healthRoute } from "./http/health.routes";
import { httpErrorHandler, notFoundHandler } from "./http/http-errors";
import { DatabaseOutage, unavailablePlugin } from "./http/outage";
import { responseCache, type ResponseCache } from "./http/response-cache";
import { graphqlHandler } from "./http/graphql-handler";
import { readRoutingPlugin, RecentWriters } from "./http/read-routing.plugin";
import { armorProtection, rewordArmorRefusal } from "./security/armor";
import { corsFor, requestIdPlugin, requestTimeout } from "./security/http";
import { OperationGate } from "./security/operation-gate";
import { clientKey, RateLimiter } from "./security/rate-limit";
import { pageRoutes } from "./http/pages.routes";
import { FeedHub } from "./live/feed-hub";
import { conditionalGet } from "./http/conditional-get";
import { dataVersion } from "./changes/data-version";

export interface ServerDeps {
  db: Database;
  log: Logger;
  /** The token writes need (API_TOKEN); null refuses every write. */
  apiToken?: string | null;
  /** Where writes announce changed events; one in-process feed by default. */
  changes?: ChangeFeed;
  /** Request limits; the defaults are DEFAULT_SECURITY. */
  security?: Partial<SecurityConfig>;
  /** With read replicas: how long a client that wrote reads from the primary (DEFAULT_READ_AFTER_WRITE_MS). */
  readAfterWriteMs?: number;
  /** Where the built pages are (dist/web of the project by default). */
  webDir?: string;
  /** How far ahead PLANNED events may be dated (DEFAULT_DATES). */
  dates?: DateConfig;
  /** Memory for the exact response cache of reads, in bytes (RESPONSE_CACHE_MB); 0, the default here, turns it off. */
  responseCacheBytes?: number;
}

export interface TimelineServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** A request context as the HTTP path builds it; tests use it with apollo.executeOperation. */
  createContext(authorization?: string): Context;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting requests, drains those in flight, then returns; the caller closes the database. */
  stop(): Promise<void>;
  /** The response cache, when one is on. */
  responseCache: ResponseCache | null;
}

/** Builds the HTTP app and GraphQL server over an open database; index.ts and the tests share it. */
export async function createServer({
  db,
  log,
  apiToken = null,
  changes,
  security: overrides,
  readAfterWriteMs = DEFAULT_READ_AFTER_WRITE_MS,
  webDir,
  dates = DEFAULT_DATES,
  responseCacheBytes = 0,
}: ServerDeps): Promise<TimelineServer> {
  const security = { ...DEFAULT_SECURITY, ...overrides };
  const feed = changes ?? new InProcessChangeFeed();
  const dateRules = defaultDateRules(dates.plannedHorizonYears);
  // The live feed reads the primary: a replica may lag behind what a subscriber was told.
  const hub = new FeedHub(db.prisma, feed, log.child({ component: "feed-hub" }));
  const services = createServices(db, feed, dateRules, db.prisma, hub);
  // One more set of services over each read replica, for query operations (readRoutingPlugin).
  const replicaServices = db.replicas.map((replica) => createServices(db, feed, dateRules, replica, hub));
  const app = express();
  app.disable("x-powered-by");
  // Express would hash every response body for a weak ETag; GraphQL answers POSTs, which no
  // cache revalidates, and the pages set their own (http/pages.routes.ts).
  app.set("etag", false);
  // req.ip: the connection's address, or X-Forwarded-For's from the proxies TRUST_PROXY names.
  app.set("trust proxy", security.trustProxy);
  const httpServer = http.createServer(app);
  const createContext = (authorization?: string, requestId: string = randomUUID(), ip?: string): Context => {
    const auth = Auth.fromHeader(authorization, apiToken);
    const context: Context = {
      services,
      loaders: createLoaders(services),
      log: log.child({ requestId }),
      requestId,
      auth,
      client: clientKey(auth, ip),
      renewLoaders: () => {
        context.loaders = createLoaders(context.services);
      },
    };
    return context;
  };

  // The data version behind ETags and the response cache: every database's that may answer (a
  // replica's lags behind the primary's).
  const dataVersions = () => Promise.all([db.prisma, ...db.replicas].map((client) => dataVersion(client))).then((all) => all.join("|"));
  const schema = await buildTimelineSchema();
  const cache = responseCacheBytes > 0 ? responseCache(dataVersions, responseCacheBytes) : null;
  const outage = new DatabaseOutage(() => Promise.all([db.ping(), ...db.replicas.map((replica) => replica.$queryRaw`SELECT 1`)]), log);
  const formatError = createErrorFormatter(log, { unavailable: outage, reword: rewordArmorRefusal });
  const armor = armorProtection(security);
  const limiter = security.rateLimit.enabled ? new RateLimiter(security.rateLimit.points, security.rateLimit.windowMs) : null;
  const gate = new OperationGate(schema, security.maxCost, limiter, security.rateLimit);
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: security.introspection,
    // "Did you mean …?" suggestions would describe the schema that introspection hides.
    hideSchemaDetailsFromClientErrors: !security.introspection,
    parseOptions: { maxTokens: security.maxTokens },
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: false,
    // index.ts owns shutdown (drain, then close the database); Apollo's own handler would re-raise the signal and kill the process first.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No field sets a cache hint, and the plugin wraps every field's resolver to look for one
      // (~5% of a timeline page's CPU).
      ApolloServerPluginCacheControlDisabled(),
      // Browsers that GET /graphql get the IDE from pageRoutes; Apollo's own landing page would load Sandbox from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      ...armor.plugins,
      requestIdPlugin(),
      unavailablePlugin(outage),
      gate.plugin(),
      ...(replicaServices.length ? [readRoutingPlugin(replicaServices, new RecentWriters(readAfterWriteMs))] : []),
      ...(cache ? [cache.plugin] : []),
    ],
  });
  await apollo.start();
  // Subscriptions (and any operation) over graphql-ws, on the same /graphql path.
  const webSocket = serveWebSocket({
    httpServer,
    schema,
    createContext: (authorization, ip) => createContext(authorization, undefined, ip),
    clientOf: (authorization, ip) => clientKey(Auth.fromHeader(authorization, apiToken), ip),
    // The same reading of X-Forwarded-For as Express's req.ip.
    addressOf: (request) => proxyaddr(request, app.get("trust proxy fn")),
    caps: security.subscriptions,
    formatError,
    log,
    // The same refusals as over HTTP, the cost and rate limits included (one gate for both).
    limits: {
      validationRules: armor.validationRules,
      maxTokens: security.maxTokens,
      introspection: security.introspection,
      admit: (operation) => gate.admit(operation),
    },
    maxPayloadBytes: security.bodyLimitBytes,
  });

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/health" },
    }),
  );
  app.use(requestScope());
  // Answers above ~1 KB go out compressed when the client accepts it, brotli first: GraphQL JSON,
  // exports as they stream, the pages. The pages' assets are compressed at build time and sent
  // as they are (pageRoutes); compression leaves a response that already has an encoding alone.
  app.use(compression({ threshold: 1024, brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } } }));

  app.get("/health", healthRoute(db, outage));

  // Reads answer an ETag, and 304 when the data has not changed since (If-None-Match). The
  // An export is one long read: a replica's, when there is one.
  app.use("/export", conditionalGet(dataVersions), exportRoutes(replicaServices[0] ?? services, log));
  // The timeline page at / and its assets, built by `npm run build:web`.
  app.use(pageRoutes(webDir));

  app.use(
    "/graphql",
    requestTimeout(security.requestTimeoutMs),
    corsFor(security.corsOrigins),
    // A GET carries a query (Apollo refuses mutations over GET); the IDE's page is served above.
    conditionalGet(dataVersions, (req) => typeof req.query.query === "string"),
    express.json({ limit: security.bodyLimitBytes }),
    graphqlHandler(
      apollo,
      (req, answerSlot) => Object.assign(createContext(req.headers.authorization, String(req.id), req.ip), { answerSlot }),
      cache,
      limiter && { limiter, clientOf: (req) => clientKey(Auth.fromHeader(req.headers.authorization, apiToken), req.ip) },
    ),
  );
  app.use(notFoundHandler());
  app.use(httpErrorHandler(log, security.bodyLimitBytes, outage));

  return {
    app,
    httpServer,
    apollo,
    createContext: (authorization) => createContext(authorization),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      }),
    async stop() {
      // Sockets first: the HTTP drain counts an upgraded socket as idle and would cut it without a close frame.
      await webSocket.close();
      await hub.close();
      await apollo.stop();
      outage.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
    responseCache: cache,
  };
}
