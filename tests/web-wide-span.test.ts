import type { Browser } from "playwright-core";
import { launchBrowser, PageProblems } from "./support/browser";
import { startTestApp, type TestApp } from "./support/test-app";
import { readSeed } from "./support/seed-file";

// Stored data the write rules now refuse (a year mistyped as 9024, stored before dates were
// checked; or mistyped as 0024, which they allow) must not break the page: its chart picks a
// span it can draw, where the data is, and says what it left out.

let app: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  const [started, launched] = await Promise.allSettled([startTestApp(), launchBrowser()]);
  if (started.status === "fulfilled") app = started.value;
  if (launched.status === "fulfilled") browser = launched.value;
  for (const result of [started, launched]) if (result.status === "rejected") throw result.reason;
  base = await app.listen();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Stores an event as an old write could have (no date rule then), and removes it when done. */
async function withStoredEvent(title: string, day: string, check: () => Promise<void>): Promise<void> {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  await app.db.prisma.$executeRaw`
    INSERT INTO events (title, occurred_at, ends_at, precision, category, status, updated_at)
    VALUES (${title}, ${`${day}T00:00:00Z`}::timestamptz, ${next}::timestamptz, 'DAY', 'AIRSTRIKE', 'OCCURRED', now())`;
  try {
    await check();
  } finally {
    await app.db.prisma.$executeRaw`DELETE FROM events WHERE title = ${title}`;
  }
}

async function chartNote(): Promise<string | null> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = new PageProblems(page);
  try {
    await page.goto(`${base}/`);
    await page.locator("#dash-chart:not([aria-busy]) :is(svg, .chart__empty)").waitFor();
    await problems.idle();
    expect(problems.problems).toEqual([]);
    // The seed's events and the one this test adds.
    expect(await page.locator('[data-figure="count"] dd').textContent()).toBe(String(readSeed().events.length + 1));
    expect(await page.locator(".chart__table tbody tr").count()).toBeLessThanOrEqual(200);
    expect(await page.locator("#dash-totals .error, #dash-chart .error").count()).toBe(0);
    // Awaited here, before `finally` closes the page it reads.
    return await page.locator(".chart__note").textContent();
  } finally {
    await context.close();
  }
}

it("charts a typo seven thousand years ahead without an error, over the years that hold the data", async () => {
  await withStoredEvent("A strike dated 9024 by mistake", "9024-01-17", async () => {
    expect(await chartNote()).toBe("Charted 2024–2223; 1 event outside those years or spanning several not shown.");
  });
});

it("charts a typo two thousand years back the same way, over the years at the other end", async () => {
  await withStoredEvent("A strike dated 0024 by mistake", "0024-01-17", async () => {
    expect(await chartNote()).toBe("Charted 1825–2024; 1 event outside those years or spanning several not shown.");
  });
});
