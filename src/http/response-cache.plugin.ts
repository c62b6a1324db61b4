import { createHash } from "node:crypto";
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import { LRUCache } from "lru-cache";
import type { Context } from "../context";

interface Cached {
  /** The data version the answer was computed at: it is served again only while this is current. */
  version: string;
  result: NonNullable<Extract<GraphQLResponse["body"], { kind: "single" }>["singleResult"]>;
}

export interface ResponseCache {
  readonly plugin: ApolloServerPlugin<Context>;
  /** Entries held, and their estimated size in bytes: for tests and metrics. */
  readonly stats: () => { entries: number; bytes: number; hits: number; misses: number };
}

/**
 * An exact cache of read answers (issue #16): a query operation sent again with the same
 * document, operation name and variables is answered from memory while the data version is the
 * one it was computed at. The version (changes/data-version.ts: the change log's readable end and
 * the other tables' latest update, of every database that may answer) moves with every committed
 * write, so an answer is never served once anything it could show has changed: correct by
 * construction, at the price of one index-only statement per request. Requests that carry a
 * token (writers, who expect to read their writes), mutations, subscriptions and answers with
 * errors are neither served nor kept. Bounded by `maxBytes` (least recently used out first).
 */
export function responseCache(version: () => Promise<string>, maxBytes: number): ResponseCache {
  const entries = new LRUCache<string, Cached>({
    maxSize: maxBytes,
    sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.result).length * 2),
  });
  let hits = 0;
  let misses = 0;
  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart({ request, contextValue }) {
      if (contextValue.auth.tokenId || request.http?.headers.get("authorization")) return;
      let key: string | undefined;
      let current: string | undefined;
      let served = false;
      return {
        async responseForOperation({ operation, source }) {
          if (operation.operation !== "query") return null;
          key = createHash("sha256")
            .update(`${source}\n${request.operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`)
            .digest("base64url");
          current = await version();
          const cached = entries.get(key);
          if (cached && cached.version === current) {
            hits++;
            served = true;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: "single", singleResult: { ...cached.result } } };
          }
          misses++;
          return null;
        },
        async willSendResponse({ response }) {
          // A hit is already held (get() made it the most recent); a miss keeps what it computed,
          // under the version read before it ran (sizing it serialises the answer once).
          if (served || !key || !current || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          if (result.errors?.length || !result.data) return;
          entries.set(key, { version: current, result });
        },
      };
    },
  };
  return {
    plugin,
    stats: () => ({ entries: entries.size, bytes: entries.calculatedSize, hits, misses }),
  };
}
