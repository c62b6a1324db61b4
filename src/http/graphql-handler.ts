import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { NextFunction, Request, Response } from "express";
import type { AnswerSlot, Context } from "../context";
import type { RateLimiter } from "../security/rate-limit";
import type { ResponseCache, StoredAnswer } from "./response-cache";

/**
 * POST and GET /graphql: Apollo Server through its integration API (executeHTTPGraphQLRequest,
 * what Apollo's Express integration calls), with the response cache in front. A request whose answer
 * is stored and current is sent those bytes and goes no further (its cost still charged to its
 * client's rate limit: refused there, it runs, and Apollo refuses it as any other); any other
 * runs, and its answer is kept when the cache's plugin marked it.
 */
export function graphqlHandler(
  apollo: ApolloServer<Context>,
  createContext: (req: Request, answerSlot: AnswerSlot | undefined) => Context,
  cache: ResponseCache | null,
  limiter: { limiter: RateLimiter; clientOf: (req: Request) => string } | null,
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const slot = cache?.slotFor(req);
      const admit = (answer: StoredAnswer) => !limiter || limiter.limiter.spend(limiter.clientOf(req), answer.cost) === 0;
      const stored = slot ? await cache!.lookup(slot, admit) : undefined;
      if (stored) {
        for (const [name, value] of stored.headers) res.setHeader(name, value);
        res.status(200).send(stored.body);
        return;
      }
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const query = req.url.indexOf("?");
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query < 0 ? "" : req.url.slice(query), body: req.body },
        context: async () => createContext(req, slot),
      });
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === "complete") {
        res.send(response.body.string);
        if (slot) cache!.keep(slot, response, response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) {
        res.write(chunk);
        // compression buffers: an incremental answer's parts must go out as they come.
        (res as Response & { flush?: () => void }).flush?.();
      }
      res.end();
    } catch (error) {
      next(error);
    }
  };
}
