import { defaultDateRules } from "../../src/events/event-dates";
import { randomBytes } from "node:crypto";
import { IngestService, type IngestResult } from "../../src/ingest/ingest.service";
import { coerceArticle } from "../../src/ingest/article-file";
import { buildTimelineSchema } from "../../src/schema";
import type { TestApp } from "./test-app";

/** A short random tag that keeps each test's slugs, urls and words apart from every other's. */
export function uniqueTag(): string {
  return randomBytes(4).toString("hex");
}

export interface ArticleJson {
  url?: string;
  title?: string;
  publishedAt?: string;
  participants?: Array<Record<string, unknown>>;
  locations?: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/**
 * Writes an article (ArticleInput as JSON, the way the API takes it) through the real ingest
 * path, filling in a unique url, a title and a publication date when the test does not care.
 */
export async function ingestArticle(app: TestApp, article: ArticleJson): Promise<IngestResult> {
  const tag = uniqueTag();
  const input = coerceArticle(
    { url: `https://example.org/news/${tag}`, title: `Report ${tag}`, publishedAt: "2024-02-01T00:00:00Z", ...article },
    await buildTimelineSchema(),
  );
  return new IngestService(app.db.prisma, defaultDateRules()).ingest(input);
}
