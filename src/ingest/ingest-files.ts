import { readFile } from "node:fs/promises";
import path from "node:path";
import type { GraphQLSchema } from "graphql";
import { clientErrorFromDatabase } from "../common/database-errors";
import { isExpectedError } from "../common/errors";
import { coerceArticle } from "./article-file";
import type { ArticleInput } from "./article.input";
import type { IngestResult } from "./ingest.service";

/** What ingestFiles needs: something that ingests one article (IngestService) and the schema that checks it. */
export interface IngestFilesDeps {
  ingest: { ingest(article: ArticleInput): Promise<IngestResult> };
  schema: GraphQLSchema;
}

/** One file or article that was not ingested, and why. `article` is its index when the file holds an array. */
export interface Refusal {
  file: string;
  article?: number;
  url?: string;
  reason: string;
}

export interface IngestSummary {
  /** Articles written (or found unchanged). */
  articles: number;
  created: number;
  updated: number;
  refused: Refusal[];
}

/** Reported after each article, and once for a file that could not be read at all. */
export interface IngestProgress {
  done: number;
  total: number;
  file: string;
  url?: string;
  result?: IngestResult;
  refusal?: Refusal;
}

interface Pending {
  file: string;
  /** Index within the file's array; undefined when the file holds one article. */
  index?: number;
  value: unknown;
}

/**
 * Ingests ArticleInput JSON files (one article or an array each; `bodyFile` as in
 * article-file.ts), one article at a time. A file that cannot be read or parsed, and an
 * article the API would refuse, is recorded with its reason and skipped; the rest still load.
 * Errors that are not the input's fault (the database gone) are thrown.
 */
export async function ingestFiles(
  files: readonly string[],
  deps: IngestFilesDeps,
  onProgress: (progress: IngestProgress) => void = () => undefined,
): Promise<IngestSummary> {
  const summary: IngestSummary = { articles: 0, created: 0, updated: 0, refused: [] };
  // Read everything first, so that progress knows the number of articles.
  const items: Array<Pending | { file: string; unreadable: Refusal }> = [];
  for (const file of files) {
    try {
      items.push(...(await readArticles(file)));
    } catch (error) {
      items.push({ file, unreadable: { file, reason: messageOf(error) } });
    }
  }

  let done = 0;
  for (const item of items) {
    const { file } = item;
    if ("unreadable" in item) {
      summary.refused.push(item.unreadable);
      onProgress({ done: ++done, total: items.length, file, refusal: item.unreadable });
      continue;
    }
    const { index, value } = item;
    const url = urlOf(value);
    try {
      const result = await deps.ingest.ingest(coerceArticle(value, deps.schema));
      summary.articles += 1;
      summary.created += result.created;
      summary.updated += result.updated;
      onProgress({ done: ++done, total: items.length, file, url, result });
    } catch (error) {
      const refusal: Refusal = { file, ...(index === undefined ? {} : { article: index }), ...(url ? { url } : {}), reason: refusalReason(error) };
      summary.refused.push(refusal);
      onProgress({ done: ++done, total: items.length, file, url, refusal });
    }
  }
  return summary;
}

/** The file's articles, each with its body read from `bodyFile` if it names one; a draft's `review` notes are for the editor, not the article. */
async function readArticles(file: string): Promise<Pending[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(error instanceof SyntaxError ? `not valid JSON: ${messageOf(error)}` : `cannot be read: ${messageOf(error)}`);
  }
  const values = Array.isArray(json) ? json : [json];
  return Promise.all(
    values.map(async (value, i): Promise<Pending> => {
      const index = Array.isArray(json) ? i : undefined;
      if (!value || typeof value !== "object" || Array.isArray(value)) return { file, index, value };
      const { bodyFile, review: _review, ...article } = value as Record<string, unknown>;
      if (typeof bodyFile === "string") {
        try {
          article.body = await readFile(path.resolve(path.dirname(file), bodyFile), "utf8");
        } catch (error) {
          throw new Error(`bodyFile "${bodyFile}" cannot be read: ${messageOf(error)}`);
        }
      }
      return { file, index, value: article };
    }),
  );
}

/** Why an article was refused; rethrows what is not the article's fault. */
function refusalReason(error: unknown): string {
  if (isExpectedError(error)) return error.message;
  const fromDatabase = clientErrorFromDatabase(error);
  if (fromDatabase) return fromDatabase.message;
  throw error;
}

function urlOf(value: unknown): string | undefined {
  return value && typeof value === "object" && "url" in value && typeof value.url === "string" ? value.url : undefined;
}

// Duck-typed rather than `instanceof Error`: errors from another realm (a VM context, as under jest) are errors too.
function messageOf(error: unknown): string {
  return error && typeof error === "object" && "message" in error && typeof error.message === "string" ? error.message : String(error);
}

/** The summary as lines for a terminal: what was ingested, then each refusal with its reason. */
export function formatSummary(summary: IngestSummary): string[] {
  const lines = [
    `${summary.articles} article(s) ingested: ${summary.created} event(s) created, ${summary.updated} updated`,
  ];
  if (summary.refused.length) lines.push(`${summary.refused.length} refused:`);
  for (const refusal of summary.refused) lines.push(`  ${describeRefusal(refusal)}: ${refusal.reason}`);
  return lines;
}

/** "file", "file[2]" or "file[2] (url)": where a refusal came from. */
export function describeRefusal(refusal: Pick<Refusal, "file" | "article" | "url">): string {
  const where = refusal.article === undefined ? refusal.file : `${refusal.file}[${refusal.article}]`;
  return refusal.url ? `${where} (${refusal.url})` : where;
}
