import path from "node:path";
import { PROJECT_ROOT } from "../src/db/project-root";
import type { Database } from "../src/db/database";
import { readArticleFile } from "../src/ingest/article-file";
import { defaultDateRules } from "../src/events/event-dates";
import { IngestService, type IngestResult } from "../src/ingest/ingest.service";
import { buildTimelineSchema } from "../src/schema";

/** The articles the seed is drawn from, as ArticleInput JSON files beside this one. */
export const SEED_FILES = [path.join(PROJECT_ROOT, "seed", "ap-2024-01-29-iran-pakistan.json")];

/** Loads the seed through the ingest path; idempotent, so seeding twice changes nothing. */
export async function seedDatabase(db: Database): Promise<IngestResult[]> {
  const schema = await buildTimelineSchema();
  // The seed's dates are of 2024: any horizon holds them.
  const ingest = new IngestService(db.prisma, defaultDateRules());
  const results: IngestResult[] = [];
  for (const file of SEED_FILES) {
    for (const article of await readArticleFile(file, schema)) results.push(await ingest.ingest(article));
  }
  return results;
}

/** Whether the database holds no events yet: `npm start` seeds an empty embedded database. */
export async function isEmpty(db: Database): Promise<boolean> {
  return (await db.prisma.event.count()) === 0;
}
