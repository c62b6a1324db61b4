/**
 * Builds the browser pages into dist/web: the timeline page (web/index.html, web/src/), the
 * review page for drafts (web/drafts/) and the GraphQL IDE (web/graphiql/). Each page's HTML names its script, stylesheet and icon under
 * assets/ with content hashes in their names, so the server can let browsers cache them for
 * good (src/http/pages.routes.ts); every asset is compressed here, once, as .br and .gz beside it,
 * so the server sends the compressed file instead of compressing on each request.
 * `npm run build:web`; the test setup calls buildWeb() too, so a clean clone needs no separate step.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { build, type Metafile } from "esbuild";

const WEB = __dirname;
export const WEB_OUT_DIR = path.resolve(WEB, "..", "dist", "web");

/** The pages: their HTML template and entry points, by name (an entry's name starts its assets' names). */
const PAGES = [
  { html: "index.html", template: path.join(WEB, "index.html"), entries: { app: "src/main.ts", style: "src/styles.css" } },
  { html: "graphiql.html", template: path.join(WEB, "graphiql", "index.html"), entries: { graphiql: "graphiql/main.ts" } },
  // Entry names must not start with another's name and "-": an asset is found by that prefix.
  { html: "drafts.html", template: path.join(WEB, "drafts", "index.html"), entries: { review: "drafts/main.ts", reviewstyle: "drafts/styles.css" } },
] as const;

export async function buildWeb(outDir: string = WEB_OUT_DIR): Promise<void> {
  const assets = path.join(outDir, "assets");
  // The last build's compressed files are kept aside: an asset whose hashed name is unchanged has
  // the same content, so its .br and .gz are reused rather than made again (brotli at its best
  // takes seconds a megabyte).
  const previous = `${assets}.previous`;
  await Promise.all(PAGES.map((page) => rm(path.join(outDir, page.html), { force: true })));
  await rm(previous, { recursive: true, force: true });
  if (existsSync(assets)) await rename(assets, previous);
  await mkdir(assets, { recursive: true });

  const result = await build({
    entryPoints: Object.fromEntries(PAGES.flatMap((page) => Object.entries(page.entries).map(([name, file]) => [name, path.join(WEB, file)]))),
    bundle: true,
    minify: true,
    sourcemap: "linked",
    format: "esm",
    target: ["es2020", "chrome100", "firefox100", "safari15"],
    entryNames: "[name]-[hash]",
    outdir: assets,
    metafile: true,
    logLevel: "warning",
    // React reads it to leave out its development checks.
    define: { "process.env.NODE_ENV": '"production"' },
  });

  const favicon = await readFile(path.join(WEB, "favicon.svg"));
  const faviconName = `favicon-${createHash("sha256").update(favicon).digest("hex").slice(0, 8)}.svg`;
  await writeFile(path.join(assets, faviconName), favicon);

  await compressAll(assets, previous);
  await rm(previous, { recursive: true, force: true });
  // Written last: a half-built folder has no page pointing at missing assets.
  for (const page of PAGES) {
    const [script] = Object.keys(page.entries).map((name) => builtAsset(result.metafile, name, ".js"));
    const stylesheet = Object.keys(page.entries).map((name) => builtAsset(result.metafile, name, ".css")).find(Boolean);
    const html = (await readFile(page.template, "utf8"))
      .replace("{{js}}", script!)
      .replace("{{css}}", stylesheet!)
      .replace("{{favicon}}", `/assets/${faviconName}`);
    await writeFile(path.join(outDir, page.html), html);
  }
}

/** The URL of what esbuild wrote for an entry: its script, or the stylesheet it imports (or is). */
function builtAsset(metafile: Metafile, entry: string, extension: ".js" | ".css"): string | undefined {
  const output = Object.keys(metafile.outputs).find((file) => path.basename(file).startsWith(`${entry}-`) && file.endsWith(extension));
  return output ? `/assets/${path.basename(output)}` : undefined;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes `<file>.br` and `<file>.gz` beside every asset, reusing those of an identical asset in
 * `previous`. Source maps are left to the server's on-the-fly compression: only developer tools
 * ask for them, and brotli's best takes seconds a megabyte.
 */
async function compressAll(dir: string, previous: string): Promise<void> {
  const files = (await readdir(dir)).filter((file) => !/\.(br|gz|map)$/.test(file));
  for (const file of files) {
    const reused = await Promise.all(
      [".br", ".gz"].map(async (suffix) => {
        const old = path.join(previous, file + suffix);
        if (!existsSync(old)) return false;
        await copyFile(old, path.join(dir, file + suffix));
        return true;
      }),
    );
    if (reused.every(Boolean)) continue;
    const content = await readFile(path.join(dir, file));
    const [br, gz] = await Promise.all([
      brotli(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }),
      gzipped(content, { level: zlib.Z_BEST_COMPRESSION }),
    ]);
    await Promise.all([writeFile(path.join(dir, `${file}.br`), br), writeFile(path.join(dir, `${file}.gz`), gz)]);
  }
}

if (require.main === module) {
  buildWeb().then(
    () => console.log(`built the web pages into ${path.relative(process.cwd(), WEB_OUT_DIR)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
