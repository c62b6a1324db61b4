import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";

/** Where `npm run build:web` writes the page: dist/web under the project (the folder with package.json). */
export function defaultWebDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve("dist", "web");
    dir = parent;
  }
  return path.join(dir, "dist", "web");
}

// The page talks only to this server; GraphiQL at /graphql is a page of its own and is not covered.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The timeline page at GET /, and its assets at /assets/. The assets' names carry a hash of
 * their content, so browsers keep them for a year without asking again; index.html names the
 * current ones and is revalidated on every load (ETag, 304).
 */
export function webRoutes(dir: string = defaultWebDir()): Router {
  const router = Router();
  const index = path.join(dir, "index.html");

  router.use(
    "/assets",
    express.static(path.join(dir, "assets"), {
      index: false,
      immutable: true,
      maxAge: "1y",
      fallthrough: true,
      setHeaders: (res) => res.setHeader("x-content-type-options", "nosniff"),
    }),
  );

  router.get(["/", "/index.html"], (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type("text/plain").send("The timeline page is not built: run `npm run build:web` (or `npm run build`).\n");
      return;
    }
    res.setHeader("cache-control", "no-cache");
    res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    res.sendFile(index, { cacheControl: false, lastModified: true, etag: true });
  });

  return router;
}
