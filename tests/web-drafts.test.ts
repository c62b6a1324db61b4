import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { accessibilityViolations, launchBrowser, PageProblems, RESULTS_DIR } from "./support/browser";
import { uniqueTag } from "./support/factories";
import { startTestApp, TEST_API_TOKEN, type TestApp } from "./support/test-app";

// The review page at /drafts (issue #15), in a real Chromium (tests/support/browser.ts): an
// article's text drafted with draftArticle, its events edited beside the text, published with
// ingestArticle. The article is written for these tests.

const ARTICLE = [
  "LAHORE, Pakistan (Example Wire) — Thousands of farmers held a protest in Lahore on Sunday against a sharp rise in fertiliser prices, blocking the main road to the provincial assembly for most of the afternoon.",
  "Police arrested 15 protesters on Monday after the crowd refused to leave the road.",
  "Punjab's agriculture minister is due to hold talks with the farmers' leaders in Lahore next week, the provincial government said.",
].join("\n\n");
const PUBLISHED = "2025-03-10T09:00";
const PUBLISHED_AT = "2025-03-10T09:00:00.000Z";

const DRAFT = `query Draft($article: ArticleTextInput!) {
  draftArticle(article: $article) { events { key title category status date evidence { start end text } } }
}`;

const PUBLISHED_EVENTS = `query Published($filter: TimelineFilter) {
  timeline(filter: $filter, first: 100) {
    edges { node {
      id title category status date
      location { slug }
      participants { role participant { slug } }
      sources { url }
      causes { title }
    } }
  }
}`;

interface PublishedEvent {
  id: string;
  title: string;
  category: string;
  status: string;
  date: string;
  location: { slug: string } | null;
  participants: Array<{ role: string; participant: { slug: string } }>;
  sources: Array<{ url: string }>;
  causes: Array<{ title: string }>;
}

let app: TestApp;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: PageProblems;

beforeAll(async () => {
  // Every start is awaited even when another fails (see tests/web.test.ts); afterAll closes what started.
  const [started, launched, ...rest] = await Promise.allSettled([startTestApp(), launchBrowser(), mkdir(RESULTS_DIR, { recursive: true })]);
  if (started.status === "fulfilled") app = started.value;
  if (launched.status === "fulfilled") browser = launched.value;
  const failed = [started, launched, ...rest].find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  base = await app.listen();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  watch = new PageProblems(page);
});

// Every test fails on a console error, an uncaught exception, a failed request or an HTTP error.
afterEach(async () => {
  await watch.idle();
  await context.close();
  expect(watch.problems).toEqual([]);
});

const articleForm = () => page.locator("#article-form");
const cards = () => page.locator("#cards article.draft-card");
const card = (uid: string) => page.locator(`#card-${uid}`);
const marks = (uid: string) => page.locator(`#article-text mark[data-events~="${uid}"]`);
const alertText = async (scope: Locator) => ((await scope.getByRole("alert").textContent()) ?? "").trim();
const uids = () => cards().evaluateAll((all) => all.map((element) => element.getAttribute("data-uid")!));
/** A form control's value, from inside the page (where the test's types know no DOM). */
type Control = { value: string } | null;

/** The uid of the one card with this category and date. */
async function cardWith(category: string, date: string): Promise<string> {
  const found = await cards().evaluateAll(
    (all, [wantedCategory, wantedDate]) =>
      all
        .filter(
          (element) =>
            (element.querySelector("select[name=category]") as Control)?.value === wantedCategory && (element.querySelector("input[name=date]") as Control)?.value === wantedDate,
        )
        .map((element) => element.getAttribute("data-uid")!),
    [category, date],
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function open(target: Page = page): Promise<void> {
  await target.goto(`${base}/drafts`);
  await target.locator("#article-form").waitFor();
}

async function fillArticle(url: string, text = ARTICLE, target: Page = page): Promise<void> {
  const form = target.locator("#article-form");
  await form.getByLabel("URL").fill(url);
  await form.getByLabel("Title", { exact: true }).fill("Farmers protest fertiliser prices in Lahore");
  await form.getByLabel("Published (UTC)").fill(PUBLISHED);
  await form.getByLabel("Publisher").fill("Example Wire");
  await form.getByLabel("Text", { exact: true }).fill(text);
}

/** Drafts the article in the form and waits for the cards. */
async function draft(target: Page = page, problems: PageProblems = watch): Promise<void> {
  await target.getByRole("button", { name: "Draft", exact: true }).click();
  await target.locator("#cards article.draft-card").first().waitFor();
  await problems.idle();
}

/** What the API drafts from the article: the page must show the same. */
async function apiDraft(url: string) {
  const result = await app.query<{ draftArticle: { events: Array<{ key: string; title: string; category: string; status: string; date: string; evidence: Array<{ start: number; end: number; text: string }> }> } }>(
    DRAFT,
    { article: { url, title: "Farmers protest fertiliser prices in Lahore", publishedAt: PUBLISHED_AT, publisher: "Example Wire", text: ARTICLE } },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.draftArticle.events;
}

async function publishedFrom(url: string): Promise<PublishedEvent[]> {
  const result = await app.query<{ timeline: { edges: Array<{ node: PublishedEvent }> } }>(PUBLISHED_EVENTS, { filter: { from: "2025-03", to: "2025-04" } });
  expect(result.errors).toBeUndefined();
  return result.data!.timeline.edges.map(({ node }) => node).filter((event) => event.sources.some((source) => source.url === url));
}

async function publish(token: string): Promise<void> {
  const form = page.locator("#publish-form");
  await form.getByLabel("API token").fill(token);
  await form.getByRole("button", { name: "Publish" }).click();
}

describe("the review page at /drafts", () => {
  it("loads with its form labelled, under the pages' CSP, linked from the timeline page, with no axe violations", async () => {
    const response = await fetch(`${base}/drafts`);
    expect(response.status).toBe(200);
    const timeline = await fetch(`${base}/`);
    expect(response.headers.get("content-security-policy")).toBe(timeline.headers.get("content-security-policy"));
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain("<title>Draft from text · Timeline</title>");
    expect(html).toMatch(/<script type="module" src="\/assets\/review-\w+\.js">/);
    expect(html).not.toMatch(/<script>|style="|\son[a-z]+="/);

    await page.goto(`${base}/`);
    await page.getByRole("link", { name: "Draft from text" }).click();
    await page.waitForURL(`${base}/drafts`);
    await page.locator("#article-form").waitFor();
    for (const label of ["URL", "Published (UTC)", "Publisher", "Author", "Or open a text file"]) expect(await articleForm().getByLabel(label).count()).toBe(1);
    expect(await articleForm().getByLabel("Text", { exact: true }).evaluate((element) => element.tagName)).toBe("TEXTAREA");
    expect(await page.locator("#review").isHidden()).toBe(true);
    expect(await page.locator("#publish").isHidden()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await watch.idle();
    await page.screenshot({ path: path.join(RESULTS_DIR, "drafts-empty.png") });
  });

  it("fills the fields and the text from a .txt file chosen or dropped, its header lines included", async () => {
    await open();
    const file = ["title: Farmers march in Lahore", "url: https://example.org/wire/lahore-farmers", "published: 2025-03-10T14:30:00+05:00", "publisher: Example Wire", "", ARTICLE, ""].join("\r\n");
    await articleForm().getByLabel("Or open a text file").setInputFiles({ name: "lahore.txt", mimeType: "text/plain", buffer: Buffer.from(file) });
    await expectValue(articleForm().getByLabel("URL"), "https://example.org/wire/lahore-farmers");
    await expectValue(articleForm().getByLabel("Title", { exact: true }), "Farmers march in Lahore");
    await expectValue(articleForm().getByLabel("Published (UTC)"), "2025-03-10T09:30");
    await expectValue(articleForm().getByLabel("Publisher"), "Example Wire");
    await expectValue(articleForm().getByLabel("Text", { exact: true }), `${ARTICLE}\n`);

    // Dropped on the text box: a file without a header is all text, and the fields stay.
    const dataTransfer = await page.evaluateHandle((content) => {
      const browser = globalThis as any;
      const transfer = new browser.DataTransfer();
      transfer.items.add(new browser.File([content], "plain.txt", { type: "text/plain" }));
      return transfer;
    }, "Police arrested 15 protesters on Monday.");
    await articleForm().getByLabel("Text", { exact: true }).dispatchEvent("drop", { dataTransfer });
    await expectValue(articleForm().getByLabel("Text", { exact: true }), "Police arrested 15 protesters on Monday.");
    await expectValue(articleForm().getByLabel("Title", { exact: true }), "Farmers march in Lahore");
  });

  it("drafts a pasted article: one card per event beside the text, each event's evidence highlighted, axe clean", async () => {
    const url = `https://example.org/wire/${uniqueTag()}`;
    const expected = await apiDraft(url);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    await open();
    await fillArticle(url);
    await draft();

    expect(await page.locator("#review-status").textContent()).toBe(`${expected.length} events to review. Edit them, drop or merge any, then publish.`);
    expect(await cards().count()).toBe(expected.length);
    // The text as pasted, not a character lost to the marks.
    expect(await page.locator("#article-text").textContent()).toBe(ARTICLE);
    const ids = await uids();
    for (const [i, event] of expected.entries()) {
      const shown = card(ids[i]!);
      expect(await shown.getAttribute("data-key")).toBe(event.key);
      expect(await shown.getByLabel("Title", { exact: true }).inputValue()).toBe(event.title);
      expect(await shown.getByLabel("Date", { exact: true }).inputValue()).toBe(event.date);
      expect(await shown.getByLabel("Category").inputValue()).toBe(event.category);
      expect(await shown.getByLabel("Status").inputValue()).toBe(event.status);
      // Its marks, in order, are its evidence: every passage and nothing else.
      const spans = [...event.evidence].sort((a, b) => a.start - b.start);
      expect((await marks(ids[i]!).allTextContents()).join("")).toBe(spans.map((span) => span.text).join(""));
      expect(await shown.locator(".draft-card__evidence").textContent()).toBe(spans.length === 1 ? "1 passage" : `${spans.length} passages`);
      expect(await shown.locator(".draft-card__confidence").textContent()).toMatch(/^Confidence \d+%$/);
    }

    // The Sunday protest, at the stored-or-drafted place the text names.
    const protest = expected.findIndex((event) => event.category === "PROTEST" && event.date === "2025-03-09");
    expect(protest).toBeGreaterThanOrEqual(0);
    expect(await card(ids[protest]!).locator(".chip span").allTextContents()).toEqual(["Lahore"]);
    expect(await card(ids[protest]!).getByRole("button", { name: "Remove place Lahore" }).count()).toBe(1);
    // The planned talks.
    expect(expected.map((event) => event.status)).toContain("PLANNED");

    // Wide screen: the text beside the cards.
    const text = (await page.locator("#article-text").boundingBox())!;
    const first = (await cards().first().boundingBox())!;
    expect(first.x).toBeGreaterThan(text.x + text.width - 1);
    expect(Math.abs(first.y - text.y)).toBeLessThan(120);

    // "Show in text" picks out one event's passages, and only its.
    const last = ids[ids.length - 1]!;
    await page.mouse.wheel(0, 2000);
    await card(last).getByRole("button", { name: "Show in text" }).click();
    await page.locator(`#article-text mark.is-selected[data-events~="${last}"]`).first().waitFor();
    expect(await page.locator("#article-text mark.is-selected").count()).toBe(await marks(last).count());
    const selectedMark = (await page.locator("#article-text mark.is-selected").first().boundingBox())!;
    expect(selectedMark.y).toBeGreaterThanOrEqual(0);
    expect(selectedMark.y).toBeLessThan(900);
    expect(await card(last).getAttribute("class")).toContain("is-selected");
    // A click on a passage goes to its event's card.
    await marks(ids[0]!).first().click();
    await page.locator(`#card-${ids[0]}:focus`).waitFor();

    expect(await accessibilityViolations(page)).toEqual([]);
    await watch.idle();
    await page.screenshot({ path: path.join(RESULTS_DIR, "drafts-review.png"), fullPage: true });
  });

  it("publishes the edited events with the token: the edited title on the timeline, with a participant added, the dropped event absent", async () => {
    const tag = uniqueTag();
    const url = `https://example.org/wire/${tag}`;
    await open();
    await fillArticle(url);
    await draft();
    const before = await uids();
    const protestUid = await cardWith("PROTEST", "2025-03-09");
    const droppedUid = before.filter((uid) => uid !== protestUid).pop()!;
    const droppedTitle = await card(droppedUid).getByLabel("Title", { exact: true }).inputValue();

    // Edit a title: the card's heading follows.
    const protest = card(protestUid);
    const title = `Farmers block the road to the Punjab assembly ${tag}`;
    await protest.getByLabel("Title", { exact: true }).fill(title);
    expect(await protest.locator("h4").textContent()).toBe(`Event ${before.indexOf(protestUid) + 1}: ${title}`);
    // A stored participant found as you type (by keyboard), in a role.
    const who = protest.getByRole("combobox", { name: "Add a participant" });
    await who.pressSequentially("Pakistan");
    await page.getByRole("option", { name: /^Pakistan country$/, selected: true }).waitFor();
    await who.press("Enter");
    await protest.getByLabel("Role of Pakistan").selectOption("TARGET");
    // The toll edited.
    await protest.getByLabel("Injuries, Best").fill("12");
    await protest.getByLabel("Injuries, Qualifier").selectOption("AT_LEAST");
    await protest.getByLabel("Injuries, Low").fill("12");

    // Drop the last event: its card and its marks go.
    await card(droppedUid).getByRole("button", { name: "Drop" }).click();
    expect(await cards().count()).toBe(before.length - 1);
    expect(await marks(droppedUid).count()).toBe(0);
    expect(await page.locator("#announce").textContent()).toContain("Dropped Event");

    await publish(TEST_API_TOKEN);
    const result = page.locator("#publish-result");
    await result.getByRole("link", { name: "See them on the timeline" }).waitFor();
    expect(await result.textContent()).toBe(`${before.length - 1} events created. See them on the timeline`);
    await watch.idle();
    await page.screenshot({ path: path.join(RESULTS_DIR, "drafts-published.png") });

    const published = await publishedFrom(url);
    const titles = await cards().locator('input[name="title"]').evaluateAll((inputs) => inputs.map((input) => (input as unknown as Control)!.value));
    expect(published.map((event) => event.title).sort()).toEqual([...titles].sort());
    expect(published.map((event) => event.title)).not.toContain(droppedTitle);
    const edited = published.find((event) => event.title === title)!;
    expect(edited).toMatchObject({ category: "PROTEST", date: "2025-03-09", location: { slug: "lahore" } });
    expect(edited.participants).toContainEqual({ role: "TARGET", participant: { slug: "pakistan" } });
    const injuries = await app.query(`query($id: ID!) { event(id: $id) { injured injuries { low best qualifier } } }`, { id: edited.id });
    expect(injuries.data!.event).toEqual({ injured: 12, injuries: { low: 12, best: 12, qualifier: "AT_LEAST" } });

    // The link opens the timeline at a published event.
    await result.getByRole("link", { name: "See them on the timeline" }).click();
    await page.waitForURL(/\/#event-/);
    await page.locator("article.event h4", { hasText: published.find((event) => page.url().endsWith(`#event-${event.id}`))!.title }).first().waitFor();
  });

  it("merges one event into another: its evidence, participants and claims move there, and causes follow", async () => {
    const url = `https://example.org/wire/${uniqueTag()}`;
    await open();
    await fillArticle(url);
    await draft();
    const ids = await uids();
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const [intoUid, fromUid, otherUid] = [ids[1]!, ids[2]!, ids[ids.length - 1] === ids[2] ? ids[0]! : ids[ids.length - 1]!];
    const [into, from, other] = [card(intoUid), card(fromUid), card(otherUid)];
    const slugs = (scope: Locator) => scope.locator(".roles__item").evaluateAll((items) => items.map((item) => item.getAttribute("data-slug")!));
    const passages = async (uid: string) => (await marks(uid).evaluateAll((all) => all.map((mark) => mark.textContent ?? ""))).join("");
    const expectedParticipants = [...new Set([...(await slugs(into)), ...(await slugs(from))])];
    const claims = (await into.locator(".claim").count()) + (await from.locator(".claim").count());
    const fromText = await passages(fromUid);
    const fromName = (await from.locator("h4").textContent())!.replace(/^Event \d+: /, "");
    const intoTitle = await into.getByLabel("Title", { exact: true }).inputValue();
    // Another event responded to the one merged away.
    await other.getByRole("checkbox", { name: new RegExp(`^Event 3: ${escape(fromName)}`) }).check();

    await from.getByLabel("Merge into…").selectOption({ label: `Event 2: ${intoTitle}` });
    await from.getByRole("button", { name: "Merge" }).click();

    expect(await cards().count()).toBe(ids.length - 1);
    expect(await from.count()).toBe(0);
    await page.locator(`#card-${intoUid}:focus`).waitFor();
    expect(await slugs(into)).toEqual(expectedParticipants);
    expect(await into.locator(".claim").count()).toBe(claims);
    expect(await marks(fromUid).count()).toBe(0);
    expect(await passages(intoUid)).toContain(fromText);
    // The event that responded to the merged one now responds to the one it went into.
    expect(await other.getByRole("checkbox", { name: `Event 2: ${intoTitle}` }).isChecked()).toBe(true);
    // No card offers the merged event any more.
    expect(await page.locator(`option[value="${fromUid}"]`).count()).toBe(0);
    expect(await page.locator("#announce").textContent()).toBe(`Merged Event 3: ${fromName} into Event 2: ${intoTitle}.`);
    expect(await accessibilityViolations(page)).toEqual([]);

    await publish(TEST_API_TOKEN);
    await page.locator("#publish-result", { hasText: `${ids.length - 1} events created` }).waitFor();
    const published = await publishedFrom(url);
    expect(published).toHaveLength(ids.length - 1);
    const otherTitle = await other.getByLabel("Title", { exact: true }).inputValue();
    expect(published.find((event) => event.title === otherTitle)!.causes.map((cause) => cause.title)).toContain(intoTitle);
  });

  it("shows refusals as alerts and keeps the edits: empty text, text not in English, too long, a wrong token", async () => {
    const url = `https://example.org/wire/${uniqueTag()}`;
    await open();
    await fillArticle(url, "");
    await page.getByRole("button", { name: "Draft", exact: true }).click();
    await page.locator("#draft-alert", { hasText: "Could not draft" }).waitFor();
    expect(await alertText(articleForm())).toBe("Could not draft: article.text must not be empty");
    expect(await articleForm().getByLabel("Text", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await articleForm().getByLabel("URL").inputValue()).toBe(url);
    expect(await page.locator("#review").isHidden()).toBe(true);

    await articleForm().getByLabel("Text", { exact: true }).fill(
      "Des milliers d'agriculteurs ont manifesté dimanche à Lahore contre la hausse du prix des engrais. La police a arrêté quinze manifestants lundi, et le ministre doit rencontrer leurs représentants la semaine prochaine.",
    );
    await page.getByRole("button", { name: "Draft", exact: true }).click();
    await page.locator("#draft-alert", { hasText: "does not read as English" }).waitFor();


    await articleForm().getByLabel("Text", { exact: true }).fill(`${ARTICLE}\n\n`.repeat(120));
    await page.getByRole("button", { name: "Draft", exact: true }).click();
    await page.locator("#draft-alert", { hasText: "must be at most 50000 characters" }).waitFor();

    await watch.idle();

    await articleForm().getByLabel("Text", { exact: true }).fill(ARTICLE);
    await draft();
    expect(await page.locator("#draft-alert").textContent()).toBe("");
    const ids = await uids();
    const title = "Farmers block the road to the assembly, as edited";
    await card(ids[0]!).getByLabel("Title", { exact: true }).fill(title);
    await card(ids[ids.length - 1]!).getByRole("button", { name: "Drop" }).click();

    await publish("not-the-token");
    const publishAlert = page.locator("#publish-alert");
    await publishAlert.filter({ hasText: "Could not publish" }).waitFor();

    expect(await publishAlert.getAttribute("role")).toBe("alert");
    expect(await publishAlert.textContent()).toBe("Could not publish: Writes need the header `Authorization: Bearer <API_TOKEN>` with the server's token. Check the API token.");
    expect(await page.getByLabel("API token").getAttribute("aria-invalid")).toBe("true");
    expect(await publishedFrom(url)).toEqual([]);
    await watch.idle();
    await page.screenshot({ path: path.join(RESULTS_DIR, "drafts-refused.png") });
    // Nothing lost: the edits stand, and publish with the right token.
    expect(await uids()).toEqual(ids.slice(0, -1));
    expect(await card(ids[0]!).getByLabel("Title", { exact: true }).inputValue()).toBe(title);
    expect(await accessibilityViolations(page)).toEqual([]);

    // A field the API refuses is pointed at on its card, before anything is sent.
    await card(ids[0]!).getByLabel("Date", { exact: true }).fill("Sunday");
    await publish(TEST_API_TOKEN);
    await publishAlert.filter({ hasText: "Fix these before publishing" }).waitFor();
    expect(await card(ids[0]!).getByLabel("Date", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await card(ids[0]!).getByLabel("Date", { exact: true }).fill("2025-03-09");

    await publish(TEST_API_TOKEN);
    await page.locator("#publish-result", { hasText: `${ids.length - 1} events created` }).waitFor();
    expect(await publishAlert.textContent()).toBe("");
    expect((await publishedFrom(url)).map((event) => event.title)).toContain(title);
  });

  it("is usable on a phone: the text above the cards, in one column, nothing wider than the screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const small = await phone.newPage();
    const phoneWatch = new PageProblems(small);
    try {
      await open(small);
      await fillArticle(`https://example.org/wire/${uniqueTag()}`, ARTICLE, small);
      await draft(small, phoneWatch);
      const text = (await small.locator("#article-text").boundingBox())!;
      const boxes = await Promise.all((await small.locator("#cards article.draft-card").all()).map((shown) => shown.boundingBox()));
      for (const box of boxes) {
        expect(box!.y).toBeGreaterThanOrEqual(text.y + text.height);
        expect(Math.abs(box!.x - text.x)).toBeLessThan(2);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      expect(await small.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      expect(await accessibilityViolations(small)).toEqual([]);
      await phoneWatch.idle();
      await small.screenshot({ path: path.join(RESULTS_DIR, "drafts-phone.png"), fullPage: false });
      expect(phoneWatch.problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});

async function expectValue(locator: Locator, value: string): Promise<void> {
  // The file is read asynchronously: wait for the field to take its value.
  for (let tries = 0; tries < 50 && (await locator.inputValue()) !== value; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await locator.inputValue()).toBe(value);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
