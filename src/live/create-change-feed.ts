import type { Logger } from "pino";
import type { DatabaseConfig } from "../db/database";
import { InProcessChangeFeed, type ChangeFeed } from "./change-feed";
import { PgChangeFeed } from "./pg-change-feed";

/**
 * The change feed for this database: LISTEN/NOTIFY on a Postgres server, which several
 * processes may share; in-process for the embedded database, which only one process opens.
 */
export async function createChangeFeed(config: DatabaseConfig, log: Logger): Promise<ChangeFeed> {
  if (config.kind === "server") return PgChangeFeed.start(config.url, log.child({ component: "change-feed" }));
  return new InProcessChangeFeed();
}
