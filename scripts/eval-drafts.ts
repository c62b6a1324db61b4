/**
 * Drafts every article of the evaluation sets and scores the drafts against what an editor would
 * accept: event precision and recall, and over the events found, date windows, categories, tolls
 * and roles. Two sets: eval/drafts, which the lexicon was developed against, and
 * eval/drafts-heldout, which it never is, so that its figures say how the drafter does on text it
 * has not been tuned to. `npm run eval:drafts [-- --verbose] [--set drafts|drafts-heldout]`.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArticleTextFile } from "../src/drafts/article-text-file";
import { draftFromText } from "../src/drafts/drafter";
import { loadGazetteer } from "../src/drafts/gazetteer";
import { loadLexicon } from "../src/drafts/lexicon";
import { scoreArticle, totalsOf, type ArticleScore } from "./drafts/score";

const verbose = process.argv.includes("--verbose");
const chosen = process.argv.includes("--set") ? [process.argv[process.argv.indexOf("--set") + 1]!] : ["drafts", "drafts-heldout"];
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const gazetteer = loadGazetteer();
const lexicon = loadLexicon();

for (const set of chosen) evaluate(set);

function evaluate(set: string): void {
  const root = path.join(__dirname, "..", "eval", set);
  const scores: ArticleScore[] = [];
  console.log(`\n## eval/${set}${set === "drafts" ? " (the lexicon was developed against it)" : " (held out: never tuned against)"}\n`);
  console.log("| article | expected | drafted | found | right date | right tolls |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const file of readdirSync(path.join(root, "articles")).filter((name) => name.endsWith(".txt")).sort()) {
    const article = parseArticleTextFile(readFileSync(path.join(root, "articles", file), "utf8"), file);
    const expected = JSON.parse(readFileSync(path.join(root, "expected", file.replace(/\.txt$/, ".json")), "utf8"));
    const draft = draftFromText(article, { participants: [], locations: [] }, gazetteer, lexicon);
    const score = scoreArticle(article.text, article.publishedAt, expected.events, draft.events);
    scores.push(score);
    const right = (pick: (pair: ArticleScore["pairs"][number]) => boolean) => score.pairs.filter(pick).length;
    console.log(`| ${file.replace(/\.txt$/, "")} | ${score.expected} | ${score.drafted} | ${score.pairs.length} | ${right((pair) => pair.window)} | ${right((pair) => pair.tolls)} |`);
    if (verbose) {
      for (const missed of score.missed) console.log(`    missed: ${missed.key} (${missed.category}, ${missed.date})`);
      for (const extra of score.extra) console.log(`    extra:  ${extra.key} (${extra.category}, ${extra.date})`);
      for (const pair of score.pairs) {
        const wrong = (["window", "category", "status", "tolls", "mainParticipant"] as const).filter((field) => !pair[field]);
        if (wrong.length) {
          console.log(
            `    ${pair.expected.key}: wrong ${wrong.join(", ")} (drafted ${pair.draft.category} ${pair.draft.date}${pair.draft.notAfter ? `..${pair.draft.notAfter}` : ""} ${pair.draft.status}, expected ${pair.expected.category} ${pair.expected.date} ${pair.expected.status ?? "OCCURRED"})`,
          );
        }
      }
    }
  }
  const totals = totalsOf(scores);
  console.log();
  console.log(`${totals.articles} articles, ${totals.expected} expected events, ${totals.drafted} drafted, ${totals.matched} found`);
  console.log(`event precision ${percent(totals.precision)}, recall ${percent(totals.recall)}`);
  console.log(
    `over the events found: date window ${percent(totals.date)}, category ${percent(totals.category)}, status ${percent(totals.status)}, tolls ${percent(totals.tolls)}, roles ${percent(totals.roles)} (participants named ${percent(totals.participants)})`,
  );
}
