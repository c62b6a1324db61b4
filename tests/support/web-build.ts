import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { buildWeb, WEB_OUT_DIR } from "../../web/build";

/**
 * Builds the pages into dist/web unless a build newer than every source under web/ is there,
 * so `npm test` works from a clean clone and never tests stale assets. The test setup runs it
 * once, before any server starts (a server indexes the compressed assets when it starts).
 */
export async function ensureWebBuilt(): Promise<void> {
  const built = ["index.html", "graphiql.html", "drafts.html"].map((page) => path.join(WEB_OUT_DIR, page));
  const sources = newestSource(path.resolve(__dirname, "..", "..", "web"));
  if (built.every((page) => existsSync(page) && statSync(page).mtimeMs >= sources)) return;
  await buildWeb();
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}
