import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page, type Request } from "playwright-core";
import { buildWeb, WEB_OUT_DIR } from "../../web/build";

/** Debian's chromium (`apt-get install chromium`); playwright's own download is not reachable here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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

/** Screenshots land here (gitignored). */
export const RESULTS_DIR = path.resolve(__dirname, "..", "..", "test-results");

/**
 * Debian's chromium, headless. Playwright's launch gives it a fresh temporary profile
 * (--user-data-dir) of its own and removes it on close; each test then takes a new context.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
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
 * Builds the page into dist/web unless a build newer than every source under web/ is there,
 * so `npm test` works from a clean clone and never tests stale assets.
 */
export async function ensureWebBuilt(): Promise<void> {
  const index = path.join(WEB_OUT_DIR, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(path.resolve(__dirname, "..", "..", "web"))) return;
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
