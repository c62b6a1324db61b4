import type { ApolloServerPlugin } from "@apollo/server";
import type { Context, Services } from "../context";

/**
 * Clients that wrote recently, by the key the rate limit uses (their token, else their address):
 * until `windowMs` after a client's last mutation, its queries read from the primary, so that it
 * reads its own writes even from a replica that has not replayed them yet. Per process: with
 * several instances behind a load balancer, keep clients on one instance or use the LSN scheme
 * in docs/scaling.md.
 */
export class RecentWriters {
  private readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  wrote(client: string): void {
    this.lastWrite.set(client, this.now());
    if (this.lastWrite.size > 10_000) this.forgetOld();
  }

  wroteRecently(client: string): boolean {
    const at = this.lastWrite.get(client);
    if (at === undefined) return false;
    if (this.now() - at < this.windowMs) return true;
    this.lastWrite.delete(client);
    return false;
  }

  private forgetOld(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [client, at] of this.lastWrite) if (at <= cutoff) this.lastWrite.delete(client);
  }
}

/**
 * Sends each query operation to the next replica's services, round-robin, unless its client
 * wrote recently; mutations (and the fields they return) and subscriptions stay on the primary,
 * which the context starts with. Runs once the operation is known and before any resolver.
 */
export function readRoutingPlugin(replicaServices: readonly Services[], writers: RecentWriters): ApolloServerPlugin<Context> {
  let next = 0;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === "mutation") writers.wrote(contextValue.client);
          if (operation?.operation !== "query" || writers.wroteRecently(contextValue.client)) return;
          const services = replicaServices[next++ % replicaServices.length];
          contextValue.services = services;
          contextValue.renewLoaders();
        },
        async willSendResponse({ operation, contextValue }) {
          // Again once it has committed: the window runs from the end of the write.
          if (operation?.operation === "mutation") writers.wrote(contextValue.client);
        },
      };
    },
  };
}
