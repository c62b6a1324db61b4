// Writes src/stats/time-zones.json: the IANA time zone names the embedded database (PGlite)
// knows, without the "posix/" and "right/" copies a Postgres server may add. Buckets are cut in
// these and no others, so that a name works on both databases or on neither (tests hold the
// server to knowing every one). Run it after upgrading @electric-sql/pglite: npm run time-zones.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

async function main(): Promise<void> {
  const pglite = await PGlite.create();
  try {
    const { rows } = await pglite.query<{ name: string }>(
      "SELECT name FROM pg_timezone_names WHERE name NOT LIKE 'posix/%' AND name NOT LIKE 'right/%' ORDER BY name",
    );
    const file = path.join(__dirname, "..", "src", "stats", "time-zones.json");
    await writeFile(file, `${JSON.stringify(rows.map((row) => row.name), null, 0).replace(/","/g, '",\n"')}\n`);
    console.log(`wrote ${rows.length} time zones to ${path.relative(process.cwd(), file)}`);
  } finally {
    await pglite.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
