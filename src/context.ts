import type { Logger } from "pino";
import type { Auth } from "./common/auth";
import type { Loaders, Services } from "./services";

export type { Loaders, Services };

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
  /** Replaces `loaders` with fresh ones over `services`: a subscription renews them for each delivery. */
  renewLoaders(): void;
}
