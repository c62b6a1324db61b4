import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * ETags for reads (GET and HEAD): a hash of the data version (`version`, which every committed
 * write advances) and of what was asked (the URL, the Accept header), so that a client that
 * sends the ETag back in If-None-Match is answered 304 Not Modified, without the read being run,
 * as long as nothing changed. `applies` narrows it to the requests that are reads.
 */
export function conditionalGet(version: () => Promise<string>, applies: (req: Request) => boolean = () => true) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !applies(req)) return next();
    try {
      const digest = createHash("sha256")
        .update(`${await version()}\n${req.originalUrl}\n${req.headers.accept ?? ""}`)
        .digest("base64url")
        .slice(0, 27);
      const etag = `W/"${digest}"`;
      res.setHeader("etag", etag);
      // Every response depends on the request's own headers as well as on the data.
      res.setHeader("cache-control", "no-cache");
      if (matches(req.headers["if-none-match"], etag)) {
        res.status(304).end();
        return;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Whether If-None-Match names this ETag (weak comparison: W/ prefixes ignored) or is "*". */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}
