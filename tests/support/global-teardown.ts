import { rm } from "node:fs/promises";
import { admin, assertTestDatabase, ENV } from "./test-database";

/** Drops what globalSetup made: the template database and any copy a crashed file left behind. */
export default async function globalTeardown(): Promise<void> {
  const dump = process.env[ENV.dump];
  if (dump) await rm(dump, { force: true });
  const serverUrl = process.env[ENV.serverUrl];
  const template = process.env[ENV.template];
  if (!serverUrl || !template) return;
  assertTestDatabase(template);
  await admin(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2",
      [template, `${template}\\_f%`],
    );
    for (const { datname } of rows) {
      assertTestDatabase(datname);
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
}
