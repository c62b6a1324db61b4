import { createHash } from "node:crypto";
import type { ApolloServerPlugin, HTTPGraphQLResponse } from "@apollo/server";
import type { Request } from "express";
import { LRUCache } from "lru-cache";
import type { AnswerSlot, Context } from "../context";

/** An answer as it went out over HTTP, kept to be sent again as it is. */
export interface StoredAnswer {
  /** The data version the answer was computed at: it is sent again only while this is current. */
  version: string;
  headers: Array<[string, string]>;
  body: string;
  /** What the operation cost, charged again to the rate limit of a client it is sent to. */
  cost: number;
}

export interface ResponseCache {
  /** Marks what can be kept: queries answered with data and no error, at the version read before they ran. */
  readonly plugin: ApolloServerPlugin<Context>;
  /** The slot of a request that may be answered from the cache, or undefined (a token, no query text, a persisted query). */
  slotFor(req: Request): AnswerSlot | undefined;
  /**
   * The stored answer for this slot when it is current (the data version read once) and `admit`
   * lets it out (the rate limit); else undefined, the version read left in the slot.
   */
  lookup(slot: AnswerSlot, admit?: (answer: StoredAnswer) => boolean): Promise<StoredAnswer | undefined>;
  /** Keeps what a request's run answered, when the plugin marked it to be kept. */
  keep(slot: AnswerSlot, response: HTTPGraphQLResponse, body: string): void;
  /** Entries held, and their estimated size in bytes: for tests and metrics. */
  readonly stats: () => { entries: number; bytes: number; hits: number; misses: number };
}

/**
 * An exact cache of read answers (issue #16), in front of Apollo: a query sent again with the same
 * text, operation name, variables and Accept header is answered with the bytes it was answered
 * with, without being parsed, validated or run, while the data version is the one it was computed
 * at. The version (changes/data-version.ts: the change log's readable end and the other tables'
 * latest update, of every database that may answer) moves with every committed write, so an answer
 * is never sent once anything it could show has changed: correct by construction, at the price of
 * one index-only statement per request. Requests that carry a token (writers, who expect to read
 * their writes), mutations, subscriptions and answers with errors are neither served nor kept.
 * Bounded by `maxBytes` (least recently used out first). A cached answer is charged to the rate
 * limit at the cost OperationGate found when it ran (AnswerSlot.cost).
 */
export function responseCache(version: () => Promise<string>, maxBytes: number): ResponseCache {
  const entries = new LRUCache<string, StoredAnswer>({
    maxSize: maxBytes,
    // UTF-16 in memory, plus the headers and the entry itself.
    sizeCalculation: (answer) => answer.body.length * 2 + 256,
  });
  let hits = 0;
  let misses = 0;
  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart({ contextValue }) {
      const slot = contextValue.answerSlot;
      if (!slot) return;
      return {
        async responseForOperation({ operation }) {
          if (operation.operation === "query") slot.version ??= await version();
          return null;
        },
        async willSendResponse({ response, operation }) {
          if (!slot.version || operation?.operation !== "query" || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          if (result.errors?.length || !result.data) return;
          slot.keep = true;
        },
      };
    },
  };
  return {
    plugin,
    slotFor(req) {
      if (req.headers.authorization) return undefined;
      const asked = askedOf(req);
      if (!asked) return undefined;
      const key = createHash("sha256")
        .update(`${asked.query}\n${asked.operationName}\n${asked.variables}\n${req.headers.accept ?? ""}`)
        .digest("base64url");
      return { key };
    },
    async lookup(slot, admit = () => true) {
      const stored = entries.get(slot.key);
      if (stored) {
        slot.version = await version();
        if (stored.version === slot.version && admit(stored)) {
          hits++;
          return stored;
        }
      }
      misses++;
      return undefined;
    },
    keep(slot, response, body) {
      if (!slot.keep || !slot.version || (response.status ?? 200) !== 200) return;
      entries.set(slot.key, { version: slot.version, headers: [...response.headers], body, cost: slot.cost ?? 0 });
    },
    stats: () => ({ entries: entries.size, bytes: entries.calculatedSize, hits, misses }),
  };
}

/** The operation a POST body or a GET query string asks for, its variables as JSON text; undefined when it is not plainly one. */
function askedOf(req: Request): { query: string; operationName: string; variables: string } | undefined {
  const source: Record<string, unknown> | undefined = req.method === "POST" ? req.body : req.method === "GET" ? (req.query as Record<string, unknown>) : undefined;
  if (!source || typeof source !== "object" || typeof source.query !== "string" || source.extensions !== undefined) return undefined;
  const operationName = source.operationName ?? "";
  if (typeof operationName !== "string") return undefined;
  let variables = source.variables ?? {};
  if (req.method === "GET" && typeof variables === "string") {
    try {
      variables = JSON.parse(variables);
    } catch {
      return undefined;
    }
  }
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) return undefined;
  return { query: source.query, operationName, variables: JSON.stringify(variables) };
}
