import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { openDatabase } from "./db/database";
import { migrate, pending } from "./db/migrate";
import { createLogger } from "./logger";
import { createServer } from "./server";
import { isEmpty, seedDatabase } from "../seed/seed";

/**
 * The process: read the environment, open the database (migrating and seeding the embedded
 * one, refusing a server that is behind), serve, and shut down cleanly on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config.database);

  if (db.kind === "embedded") {
    const applied = await migrate(db);
    if (applied.length) log.info({ applied }, "applied migrations to the embedded database");
    if (await isEmpty(db)) {
      const results = await seedDatabase(db);
      log.info({ events: results.reduce((sum, r) => sum + r.created, 0) }, "seeded the empty embedded database");
    }
  } else {
    const behind = await pending(db);
    if (behind.length) {
      log.fatal({ pending: behind }, "the database is behind the code: run `npm run db:migrate`, then start again");
      await db.close();
      process.exitCode = 1;
      return;
    }
  }

  const server = await createServer({ db, log });
  const address = await server.listen(config.port, config.host);
  log.info({ port: address.port, database: db.kind }, `timeline serving GraphQL at http://localhost:${address.port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: draining requests");
    try {
      await server.stop();
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
  else console.error(err);
  process.exit(1);
});
