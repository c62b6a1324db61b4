// `npm run ingest -- FILE...`: loads ArticleInput JSON files (one article or an array each) into
// the configured database through the same ingest path as the API. A bad file or a refused
// article is reported and skipped; the exit code is 1 if anything was refused.
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

async function main(args: string[]): Promise<number> {
  if (!args.length || args.includes("--help")) {
    console.error("usage: npm run ingest -- FILE.json [FILE.json...]");
    return 2;
  }
  // npm runs scripts from the package root; paths are the caller's, relative to where they ran npm.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const files = args.map((file) => path.resolve(cwd, file));

  const { database: config, dates } = loadConfig();
  const db = await openDatabase(config);
  // On a server, running API instances hear of the ingested events and tell their subscribers.
  const changes = await createChangeFeed(config, createLogger("warn"));
  try {
    if (db.kind === "embedded") await migrate(db);
    else await assertMigrated(db);
    const deps = { ingest: new IngestService(db.prisma, defaultDateRules(dates.plannedHorizonYears), changes), schema: await buildTimelineSchema() };
    const progress = process.stderr.isTTY ? progressBar() : progressLines();
    const summary = await ingestFiles(files, deps, progress.update).finally(progress.stop);
    for (const line of formatSummary(summary)) console.log(line);
    return summary.refused.length ? 1 : 0;
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
