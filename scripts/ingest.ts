// `npm run ingest -- FILE...`: loads ArticleInput JSON files (one article or an array each) into
// the configured database through the same ingest path as the API. A bad file or a refused
// article is reported and skipped; the exit code is 1 if anything was refused.
// A `.txt` file (a title:/url:/published: header, a blank line, the text) is drafted instead, as
// draftArticle drafts it, into FILE.draft.json beside it: review that, then ingest it.
import "reflect-metadata";
import path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { migrate } from "../src/db/migrate";
import { assertMigrated } from "../src/db/migrate";
import { describeRefusal, formatSummary, ingestFiles, type IngestProgress } from "../src/ingest/ingest-files";
import { defaultDateRules } from "../src/events/event-dates";
import { IngestService } from "../src/ingest/ingest.service";
import { createChangeFeed } from "../src/live/create-change-feed";
import { createLogger } from "../src/logger";
import { buildTimelineSchema } from "../src/schema";
import { readFile, writeFile } from "node:fs/promises";
import { parseArticleTextFile } from "../src/drafts/article-text-file";
import { DraftService } from "../src/drafts/draft.service";
import { draftFileOf } from "../src/drafts/draft-file";
import { LocationService } from "../src/locations/location.service";
import { ParticipantService } from "../src/participants/participant.service";

async function main(args: string[]): Promise<number> {
  if (!args.length || args.includes("--help")) {
    console.error("usage: npm run ingest -- FILE.json|FILE.txt [...]   (a .txt article is drafted into FILE.draft.json for review)");
    return 2;
  }
  // npm runs scripts from the package root; paths are the caller's, relative to where they ran npm.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const paths = args.map((file) => path.resolve(cwd, file));
  const texts = paths.filter((file) => file.endsWith(".txt"));
  const files = paths.filter((file) => !file.endsWith(".txt"));

  const { database: config, dates } = loadConfig();
  const db = await openDatabase(config);
  // On a server, running API instances hear of the ingested events and tell their subscribers.
  const changes = await createChangeFeed(config, createLogger("warn"));
  try {
    if (db.kind === "embedded") await migrate(db);
    else await assertMigrated(db);
    let refused = 0;
    for (const file of texts) {
      try {
        const article = parseArticleTextFile(await readFile(file, "utf8"), path.basename(file));
        const draft = await new DraftService(new ParticipantService(db.prisma), new LocationService(db.prisma)).draftPlain(article);
        const out = file.replace(/\.txt$/, ".draft.json");
        await writeFile(out, `${JSON.stringify(draftFileOf(article, draft), null, 2)}\n`);
        console.log(`${path.basename(file)}: drafted ${draft.events.length} events into ${path.relative(cwd, out)}; review it, then: npm run ingest -- ${path.relative(cwd, out)}`);
      } catch (error) {
        refused++;
        console.error(`${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!files.length) return refused ? 1 : 0;
    const deps = { ingest: new IngestService(db.prisma, defaultDateRules(dates.plannedHorizonYears), changes), schema: await buildTimelineSchema() };
    const progress = process.stderr.isTTY ? progressBar() : progressLines();
    const summary = await ingestFiles(files, deps, progress.update).finally(progress.stop);
    for (const line of formatSummary(summary)) console.log(line);
    return summary.refused.length || refused ? 1 : 0;
  } finally {
    await changes.close();
    await db.close();
  }
}

/** A bar on stderr, for a terminal. */
function progressBar() {
  const bar = new SingleBar(
    { format: "{bar} {value}/{total} articles | {file}", hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update({ done, total, file }: IngestProgress) {
      if (!started) bar.start(total, 0, { file: "" });
      started = true;
      bar.update(done, { file: path.basename(file) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** One line per article on stderr, for logs and pipes. */
function progressLines() {
  return {
    update({ done, total, file, url, result, refusal }: IngestProgress) {
      const where = describeRefusal({ file, article: refusal?.article, url });
      const outcome = result ? `${result.created} created, ${result.updated} updated` : `refused: ${refusal?.reason}`;
      console.error(`[${done}/${total}] ${where}: ${outcome}`);
    },
    stop: () => undefined,
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
