/**
 * Builds the timeline page (web/) into dist/web: index.html, and under assets/ the script,
 * stylesheet and favicon with content hashes in their names, so the server can let browsers
 * cache them for good (src/web/web.routes.ts). `npm run build:web`; the browser tests call
 * buildWeb() too, so a clean clone needs no separate step.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const WEB = __dirname;
export const WEB_OUT_DIR = path.resolve(WEB, "..", "dist", "web");

export async function buildWeb(outDir: string = WEB_OUT_DIR): Promise<void> {
  const assets = path.join(outDir, "assets");
  await rm(path.join(outDir, "index.html"), { force: true });
  await rm(assets, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });

  const result = await build({
    entryPoints: { app: path.join(WEB, "src", "main.ts"), style: path.join(WEB, "src", "styles.css") },
    bundle: true,
    minify: true,
    sourcemap: "linked",
    format: "esm",
    target: ["es2020", "chrome100", "firefox100", "safari15"],
    entryNames: "[name]-[hash]",
    outdir: assets,
    metafile: true,
    logLevel: "warning",
  });
  const built = (entry: string) => {
    const output = Object.entries(result.metafile.outputs).find(([, meta]) => meta.entryPoint?.endsWith(entry))?.[0];
    if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
    return `/assets/${path.basename(output)}`;
  };

  const favicon = await readFile(path.join(WEB, "favicon.svg"));
  const faviconName = `favicon-${createHash("sha256").update(favicon).digest("hex").slice(0, 8)}.svg`;
  await writeFile(path.join(assets, faviconName), favicon);

  const template = await readFile(path.join(WEB, "index.html"), "utf8");
  const html = template
    .replace("{{js}}", built("src/main.ts"))
    .replace("{{css}}", built("src/styles.css"))
    .replace("{{favicon}}", `/assets/${faviconName}`);
  // Removed first, written last: a half-built folder has no index.html pointing at missing assets.
  await writeFile(path.join(outDir, "index.html"), html);
}

if (require.main === module) {
  buildWeb().then(
    () => console.log(`built the web page into ${path.relative(process.cwd(), WEB_OUT_DIR)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
