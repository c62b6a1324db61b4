import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArticleTextFile } from "../../src/drafts/article-text-file";
import { draftFromText } from "../../src/drafts/drafter";
import { loadGazetteer } from "../../src/drafts/gazetteer";
import { loadLexicon } from "../../src/drafts/lexicon";

export interface DraftingResult {
  words: number;
  runs: number;
  firstLoadMs: number;
  p50: number;
  p99: number;
  events: number;
}

const ARTICLES = path.resolve(__dirname, "..", "..", "eval", "drafts", "articles");

/**
 * Drafting speed (#15's target: a 1,000-word article under 200 ms p50): articles of the evaluation
 * set joined into one of about 1,000 words (their own dates stay in them; the article is dated like the
 * first), drafted `runs` times after a warm-up. The drafter alone: draftArticle adds two statements
 * (stored names), which the page benchmarks measure the like of.
 */
export function measureDrafting(targetWords = 1_000, runs = 60): DraftingResult {
  const files = readdirSync(ARTICLES).filter((name) => name.endsWith(".txt")).sort();
  const articles = files.map((file) => parseArticleTextFile(readFileSync(path.join(ARTICLES, file), "utf8"), file));
  const parts: string[] = [];
  let words = 0;
  for (const article of articles) {
    if (words >= targetWords) break;
    parts.push(article.text);
    words += article.text.split(/\s+/).filter(Boolean).length;
  }
  const text = parts.join("\n\n");
  const started = performance.now();
  const gazetteer = loadGazetteer();
  const lexicon = loadLexicon();
  const firstLoadMs = performance.now() - started;
  const publishedAt = articles[0]!.publishedAt;
  let events = 0;
  for (let i = 0; i < 5; i++) events = draftFromText({ text, publishedAt }, { participants: [], locations: [] }, gazetteer, lexicon).events.length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    draftFromText({ text, publishedAt }, { participants: [], locations: [] }, gazetteer, lexicon);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { words, runs, firstLoadMs, p50: at(0.5), p99: at(0.99), events };
}

export function describeDrafting(result: DraftingResult): string {
  return (
    `Drafting a ${result.words.toLocaleString("en-US")}-word article (${result.events} events): p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms ` +
    `over ${result.runs} runs (target p50 < 200 ms); gazetteer and lexicon loaded once in ${result.firstLoadMs.toFixed(0)} ms`
  );
}
