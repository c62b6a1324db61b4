import { existsSync, statSync } from "node:fs";
import path from "node:path";
import expressStaticGzip from "express-static-gzip";
import { Router, type Request, type Response } from "express";
import { ErrorCode } from "../common/errors";
import { sendError } from "./http-errors";

/** Where `npm run build:web` writes the pages: dist/web under the project (the folder with package.json). */
export function defaultWebDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve("dist", "web");
    dir = parent;
  }
  return path.join(dir, "dist", "web");
}

// The timeline page and the review page talk only to this server.
const PAGE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// GraphiQL also sets inline styles, loads the fonts its stylesheet carries as data: URLs and opens
// a WebSocket to this host for subscriptions (named: older browsers do not count ws: as 'self').
const idePolicy = (host: string) =>
  [
    "default-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ws://${host} wss://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/**
 * The browser pages that `npm run build:web` writes into `dir`: the timeline page at GET /, the
 * review page for drafting events from an article's text at GET /drafts, the GraphQL IDE at GET /graphiql (where browsers opening /graphql are sent), and their assets at /assets/. The assets' names
 * carry a hash of their content, so browsers keep them for a year without asking again, and
 * each is sent as the .br or .gz file the build wrote beside it when the browser accepts one.
 * The pages name the current assets and are revalidated on every load (ETag, 304). Files are
 * served relative to `dir`, so a checkout under a dot folder (~/.cache/…) serves them too.
 */
export function pageRoutes(dir: string = defaultWebDir()): Router {
  const router = Router();

  router.use(
    "/assets",
    expressStaticGzip(path.join(dir, "assets"), {
      enableBrotli: true,
      orderPreference: ["br", "gzip"],
      index: false,
      serveStatic: {
        index: false,
        immutable: true,
        maxAge: "1y",
        fallthrough: true,
        setHeaders: (res) => res.setHeader("x-content-type-options", "nosniff"),
      },
    }),
  );

  const page = (file: string, policy: (req: Request) => string) => (req: Request, res: Response) => {
    const stat = statSync(path.join(dir, file), { throwIfNoEntry: false });
    if (!stat) {
      sendError(req, res, 503, ErrorCode.SERVICE_UNAVAILABLE, "The pages are not built: run `npm run build:web` (or `npm run build`)");
      return;
    }
    // Express's sendFile leaves ETags to the app-wide setting, which is off (server.ts): the page
    // carries its own, so that a reload is answered 304 (sendFile compares it).
    res.setHeader("etag", `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`);
    res.setHeader("cache-control", "no-cache");
    res.setHeader("content-security-policy", policy(req));
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    res.sendFile(file, { root: dir, cacheControl: false, lastModified: true, etag: true });
  };

  router.get(["/", "/index.html"], page("index.html", () => PAGE_POLICY));
  // The review page: an article's text drafted with draftArticle, edited, published with ingestArticle.
  router.get("/drafts", page("drafts.html", () => PAGE_POLICY));
  // The IDE has a page of its own: it POSTs to /graphql, and a POST to a URL drops the browser's
  // cached GET of that URL, so an IDE served at /graphql would be fetched whole on every reload.
  router.get("/graphiql", page("graphiql.html", (req) => idePolicy(/^[\w.:[\]-]+$/.test(req.get("host") ?? "") ? req.get("host")! : "localhost")));
  // A browser opening /graphql is sent there; API clients (JSON, or a query in the URL) get GraphQL.
  // Middleware rather than a GET route: a route would also answer OPTIONS /graphql itself,
  // before the CORS preflight handling of the GraphQL endpoint.
  router.use("/graphql", (req, res, next) => {
    const wantsPage =
      req.method === "GET" &&
      req.path === "/" &&
      req.query.query === undefined &&
      req.accepts(["application/graphql-response+json", "application/json", "text/html"]) === "text/html";
    if (wantsPage) res.redirect(302, "/graphiql");
    else next();
  });

  return router;
}
