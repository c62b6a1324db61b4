import type { Logger } from "pino";
import type { Auth } from "./common/auth";
import type { Loaders, Services } from "./services";

export type { Loaders, Services };

/**
 * What one HTTP request's run tells the response cache (src/http/response-cache.ts): set by
 * graphqlHandler for a request whose answer could be kept, filled in by the cache's plugin when it
 * was a query answered without errors.
 */
export interface AnswerSlot {
  key: string;
  /** The data version read before the operation ran. */
  version?: string;
  keep?: boolean;
  /** What the operation cost (set by OperationGate), for the rate limit of those it is sent to again. */
  cost?: number;
}

/**
 * What every resolver of one request (or of one subscription) is given: the services, a fresh
 * set of DataLoaders, who is asking. Built by server.ts for each request (services.ts builds the
 * services and loaders).
 */
export interface Context {
  services: Services;
  loaders: Loaders;
  log: Logger;
  requestId: string;
  auth: Auth;
  /** Who the rate limit counts this request against. */
  client: string;
  /** For an HTTP request the response cache may keep: what its plugin tells graphqlHandler. */
  answerSlot?: AnswerSlot;
  /** Replaces `loaders` with fresh ones over `services`: a subscription renews them for each delivery. */
  renewLoaders(): void;
}
