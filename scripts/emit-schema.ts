import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { printSchema } from "graphql";
import { PROJECT_ROOT } from "../src/db/project-root";
import { buildTimelineSchema } from "../src/schema";

/** Writes the served SDL to schema.graphql, committed so that API changes show up in review. */
export const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema.graphql");

export async function servedSdl(): Promise<string> {
  return `${printSchema(await buildTimelineSchema())}\n`;
}

if (require.main === module) {
  servedSdl()
    .then((sdl) => writeFile(SCHEMA_FILE, sdl))
    .then(() => console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`));
}
