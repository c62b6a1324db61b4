import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { openDatabase } from "./db/database";
import { DatabaseBehindError } from "./db/migrate";
import { prepareDatabase } from "./startup/prepare";
import { createChangeFeed } from "./live/create-change-feed";
import { createLogger } from "./logger";
import { createServer } from "./server";

/**
 * The process: read the environment, open the database (migrating and seeding the embedded
 * one, refusing a server that is behind), serve, and shut down cleanly on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config.database, { statementTimeoutMs: config.security.statementTimeoutMs });

  try {
    await prepareDatabase(db, log);
  } catch (err) {
    await db.close();
    throw err;
  }

  const changes = await createChangeFeed(config.database, log);
  const server = await createServer({
    db,
    log,
    apiToken: config.apiToken,
    changes,
    security: config.security,
    readAfterWriteMs: config.readAfterWriteMs,
    dates: config.dates,
    responseCacheBytes: config.responseCacheBytes,
  });
  const address = await server.listen(config.port, config.host);
  log.info({ port: address.port, database: db.kind, replicas: db.replicas.length }, `timeline serving GraphQL at http://localhost:${address.port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: draining requests");
    try {
      await server.stop();
      await changes.close();
      await db.close();
      log.info("stopped");
    } catch (err) {
      log.error({ err }, "error while shutting down");
      process.exitCode = 1;
    }
    // The migration engine can leave a timer behind; nothing is left to wait for.
    process.exit();
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else if (err instanceof DatabaseBehindError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
