import { existsSync, readFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page, type Request } from "playwright-core";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const execFileAsync = promisify(execFile);

/** Screenshots land here (gitignored). */
export const RESULTS_DIR = path.resolve(__dirname, "..", "..", "test-results");

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH when set, otherwise the build that the
 * @sparticuz/chromium dev dependency ships inside its npm package (so `npm ci` is all a fresh
 * machine needs), unpacked on first use into node_modules/.cache and reused after that.
 */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  // Its package.json is not among the package's exports: found from the entry point (build/cjs/).
  const manifest = path.resolve(path.dirname(require.resolve("@sparticuz/chromium")), "..", "..", "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const cache = path.resolve(__dirname, "..", "..", "node_modules", ".cache", `timeline-chromium-${version}`);
  const binary = path.join(cache, "chromium");
  if (existsSync(binary)) return binary;
  // The package unpacks into os.tmpdir(): a child process whose TMPDIR is a folder of its own
  // unpacks it there, then the folder moves into place in one rename, so that test workers
  // unpacking at the same time never see each other's half-written files.
  const staging = `${cache}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await execFileAsync(process.execPath, ["-e", 'require("@sparticuz/chromium").executablePath().then(() => undefined)'], {
      cwd: path.resolve(__dirname, "..", ".."),
      env: { ...process.env, TMPDIR: staging },
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await rename(staging, cache).catch(async (error: NodeJS.ErrnoException) => {
    // Another worker got there first: its copy is as good as ours.
    if (!existsSync(binary)) throw error;
    await rm(staging, { recursive: true, force: true });
  });
  return binary;
}

/**
 * Chromium, headless. Playwright's launch gives it a fresh temporary profile (--user-data-dir)
 * of its own and removes it on close; each test then takes a new context.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`No chromium at ${executablePath} (CHROMIUM_PATH)`);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/**
 * What axe-core finds against WCAG 2.1 A/AA and its best practices on the page as it stands,
 * one line per rule broken. Evaluated over the DevTools protocol, so the page's CSP allows it.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  return page.evaluate(`axe
    .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
    .then((result) => result.violations.map((v) => v.id + ": " + v.help + " at " + v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")))`);
}

/**
 * Everything that went wrong on a page: console errors, uncaught exceptions, failed requests
 * and responses with status >= 400. `idle()` waits until no request is in flight.
 */
export class PageProblems {
  readonly problems: string[] = [];
  private readonly inFlight = new Set<Request>();
  private waiters: Array<() => void> = [];

  constructor(page: Page) {
    page.on("console", (message) => {
      if (message.type() === "error") this.problems.push(`console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => this.problems.push(`page error: ${error.message}`));
    // Only requests that reach a server: blob: URLs (GraphiQL's workers) may never report an end.
    page.on("request", (request) => {
      if (/^https?:/.test(request.url())) this.inFlight.add(request);
    });
    page.on("requestfinished", (request) => this.settle(request));
    page.on("requestfailed", (request) => {
      // ERR_ABORTED is the browser cancelling (a reload, a navigation, the page's own AbortController
      // for a superseded search), not the server failing; every other failure counts.
      const error = request.failure()?.errorText;
      if (error !== "net::ERR_ABORTED") this.problems.push(`request failed: ${request.method()} ${request.url()} (${error})`);
      this.settle(request);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) this.problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    });
  }

  idle(): Promise<void> {
    if (!this.inFlight.size) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(request: Request): void {
    this.inFlight.delete(request);
    if (this.inFlight.size) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
