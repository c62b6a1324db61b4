import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, pgliteExtensions } from "../../src/db/database";
import { migrate } from "../../src/db/migrate";
import { seedDatabase } from "../../seed/seed";
import { admin, assertTestDatabase, dumpPath, ENV, randomDatabaseName, withDatabase } from "./test-database";
import { ensureWebBuilt } from "./web-build";

/**
 * Builds one migrated, seeded database per run; each test file then starts from a copy of it
 * (a PGlite dump, or CREATE DATABASE ... TEMPLATE on a server), so files never share state.
 */
export default async function globalSetup(): Promise<void> {
  // The pages every server serves (the timeline page, the IDE): built once, before any server starts.
  await ensureWebBuilt();
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = randomDatabaseName();
    assertTestDatabase(template);
    await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${template}`).then(() => undefined));
    const db = await openDatabase({ kind: "server", url: withDatabase(serverUrl, template) });
    try {
      await migrate(db);
      await seedDatabase(db);
    } catch (error) {
      await db.close();
      await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).then(() => undefined));
      throw error;
    }
    await db.close();
    process.env[ENV.serverUrl] = serverUrl;
    process.env[ENV.template] = template;
    return;
  }

  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  const file = dumpPath();
  try {
    const db = await openDatabase({ kind: "embedded", dataDir: "" }, { pglite });
    await migrate(db);
    await seedDatabase(db);
    await db.close();
    const dump = await pglite.dumpDataDir("gzip");
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await pglite.close().catch(() => undefined);
  }
  process.env[ENV.dump] = file;
}
