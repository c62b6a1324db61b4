import { ApiError, gql } from "../src/api";
import { byId, h } from "../src/dom";
import { humanize, plural } from "../src/format";
import { LOCATION_SEARCH, PARTICIPANT_SEARCH } from "../src/queries";
import { eventCard, eventName, type CardContext, type Suggestion } from "./card";
import { renderText, selectEvidence } from "./highlight";
import {
  articleInput,
  dropEvent,
  editable,
  mergeEvent,
  problems,
  readArticleFile,
  utcInstant,
  utcLocalValue,
  type ArticleDraft,
  type ArticleMeta,
  type DraftLocation,
  type DraftParticipant,
  type EditEvent,
} from "./model";
import { DRAFT_ARTICLE, INGEST_ARTICLE } from "./queries";

const articleForm = byId<HTMLFormElement>("article-form");
const fields = {
  url: byId<HTMLInputElement>("a-url"),
  title: byId<HTMLInputElement>("a-title"),
  published: byId<HTMLInputElement>("a-published"),
  publisher: byId<HTMLInputElement>("a-publisher"),
  author: byId<HTMLInputElement>("a-author"),
  text: byId<HTMLTextAreaElement>("a-text"),
};
const fileInput = byId<HTMLInputElement>("a-file");
const draftAlert = byId("draft-alert");
const draftButton = byId<HTMLButtonElement>("draft-button");
const review = byId("review");
const reviewHeading = byId("review-heading");
const reviewStatus = byId("review-status");
const textChanged = byId("text-changed");
const textPane = byId("article-text");
const cards = byId("cards");
const publish = byId("publish");
const publishForm = byId<HTMLFormElement>("publish-form");
const tokenInput = byId<HTMLInputElement>("p-token");
const publishAlert = byId("publish-alert");
const publishButton = byId<HTMLButtonElement>("publish-button");
const publishResult = byId("publish-result");
const announcer = byId("announce");

/** The review: the text as drafted (the evidence's offsets point into it), the events as edited. */
let draftedText = "";
let events: EditEvent[] = [];
const participants = new Map<string, DraftParticipant>();
const locations = new Map<string, DraftLocation>();
let selected: string | null = null;

const reducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

/** Which form field an API error names ("article.text"). */
const ARTICLE_FIELDS: Record<string, HTMLElement> = {
  "article.url": fields.url,
  "article.title": fields.title,
  "article.publishedAt": fields.published,
  "article.publisher": fields.publisher,
  "article.author": fields.author,
  "article.text": fields.text,
  "input.url": fields.url,
  "input.title": fields.title,
  "input.publishedAt": fields.published,
  "input.publisher": fields.publisher,
  "input.author": fields.author,
  "input.body": fields.text,
};

function showAlert(alert: HTMLElement, ...content: Array<Node | string>): void {
  alert.replaceChildren(...content);
}

/** Clears the marks markInvalid left: the flag, and the reference to the alert. */
function clearInvalid(scope: ParentNode): void {
  for (const element of scope.querySelectorAll("[aria-invalid=true]")) {
    element.removeAttribute("aria-invalid");
    const described = (element.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && !id.endsWith("-alert"));
    if (described.length) element.setAttribute("aria-describedby", described.join(" "));
    else element.removeAttribute("aria-describedby");
  }
}

function markInvalid(element: HTMLElement | null | undefined, alertId: string): void {
  if (!element) return;
  element.setAttribute("aria-invalid", "true");
  const described = (element.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  if (!described.includes(alertId)) element.setAttribute("aria-describedby", [...described, alertId].join(" "));
}

/** The article's details as the form holds them; null (with the reason shown) when the date is not one. */
function articleMeta(alert: HTMLElement): ArticleMeta | null {
  const publishedAt = utcInstant(fields.published.value);
  if (!publishedAt) {
    showAlert(alert, "Published: give the date and time the article was published (UTC).");
    markInvalid(fields.published, alert.id);
    fields.published.focus();
    return null;
  }
  return { url: fields.url.value, title: fields.title.value, publisher: fields.publisher.value, author: fields.author.value, publishedAt };
}

async function draft(): Promise<void> {
  showAlert(draftAlert);
  clearInvalid(articleForm);
  const meta = articleMeta(draftAlert);
  if (!meta) return;
  const text = fields.text.value;
  draftButton.disabled = true;
  draftButton.textContent = "Drafting…";
  articleForm.setAttribute("aria-busy", "true");
  try {
    const data = await gql<{ draftArticle: ArticleDraft }>(DRAFT_ARTICLE, {
      article: { url: meta.url.trim(), title: meta.title.trim(), publisher: meta.publisher.trim() || null, author: meta.author.trim() || null, publishedAt: meta.publishedAt, text },
    });
    start(text, data.draftArticle);
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(String(error));
    showAlert(draftAlert, `Could not draft: ${apiError.message}`);
    const field = apiError.field ? ARTICLE_FIELDS[apiError.field] : undefined;
    markInvalid(field, draftAlert.id);
    field?.focus();
  } finally {
    draftButton.disabled = false;
    draftButton.textContent = "Draft";
    articleForm.removeAttribute("aria-busy");
  }
}

/** Starts a review of a new draft, replacing the one before. */
function start(text: string, result: ArticleDraft): void {
  draftedText = text;
  events = editable(result);
  participants.clear();
  locations.clear();
  for (const participant of result.participants) participants.set(participant.slug, participant);
  for (const location of result.locations) locations.set(location.slug, location);
  selected = null;
  showAlert(publishAlert);
  publishResult.replaceChildren();
  textChanged.hidden = true;
  review.hidden = false;
  render();
  reviewHeading.focus();
}

function render(): void {
  renderText(textPane, draftedText, events);
  selectEvidence(textPane, selected);
  const ctx: CardContext = { ...context, events };
  cards.replaceChildren(...events.map((event) => eventCard(event, ctx)));
  if (!events.length) cards.append(h("p", { class: "empty" }, "No events left to publish."));
  markSelectedCard();
  reviewStatus.textContent = events.length
    ? `${plural(events.length, "event")} to review. Edit them, drop or merge any, then publish.`
    : "No events: the text reports none that drafting recognises, or all were dropped. Write them by hand with ingestArticle, or draft another text.";
  publish.hidden = events.length === 0;
}

function markSelectedCard(): void {
  for (const card of cards.querySelectorAll<HTMLElement>(".draft-card")) card.classList.toggle("is-selected", card.dataset.uid === selected);
}

/** Highlights an event's evidence; with `scroll`, brings its first passage into view. */
function select(uid: string, scroll: boolean): void {
  selected = uid;
  const first = selectEvidence(textPane, uid);
  markSelectedCard();
  if (scroll && first) first.scrollIntoView({ block: "center", behavior: reducedMotion() ? "auto" : "smooth" });
}

const cardOf = (uid: string) => document.getElementById(`card-${uid}`);

const context: Omit<CardContext, "events"> = {
  participants,
  locations,
  async searchParticipants(text) {
    const data = await gql<{ participants: { edges: Array<{ node: { slug: string; name: string; kind: string } }> } }>(PARTICIPANT_SEARCH, { search: text });
    const stored: Array<Suggestion<DraftParticipant>> = data.participants.edges.map(({ node }) => ({
      slug: node.slug,
      name: node.name,
      detail: humanize(node.kind).toLowerCase(),
      item: { ...node, known: true },
    }));
    return merged(stored, drafted(participants, text, (participant) => `new ${humanize(participant.kind).toLowerCase()}, from this text`));
  },
  async searchLocations(text) {
    const data = await gql<{ locations: { edges: Array<{ node: { slug: string; name: string; kind: string; latitude: number | null; longitude: number | null; parent: { name: string } | null } }> } }>(
      LOCATION_SEARCH,
      { search: text },
    );
    const stored: Array<Suggestion<DraftLocation>> = data.locations.edges.map(({ node }) => ({
      slug: node.slug,
      name: node.name,
      detail: node.parent ? `in ${node.parent.name}` : humanize(node.kind).toLowerCase(),
      item: { slug: node.slug, name: node.name, kind: node.kind, parent: null, countryCode: null, latitude: node.latitude, longitude: node.longitude, known: true },
    }));
    return merged(
      stored,
      drafted(locations, text, (location) => {
        const parent = location.parent ? locations.get(location.parent)?.name : undefined;
        return `${location.known ? "" : "new "}${humanize(location.kind).toLowerCase()}${parent ? ` in ${parent}` : ""}, from this text`;
      }),
    );
  },
  onTitle(event) {
    for (const element of document.querySelectorAll<HTMLElement>(`[data-title-of="${event.uid}"]`)) element.textContent = eventName(events, event);
  },
  onShow(event) {
    select(event.uid, true);
    announcer.textContent = `${eventName(events, event)}: ${plural(event.evidence.length, "passage")} highlighted in the text.`;
  },
  onDrop(event) {
    const index = events.indexOf(event);
    const name = eventName(events, event);
    events = dropEvent(events, event.uid);
    if (selected === event.uid) selected = null;
    render();
    announcer.textContent = `Dropped ${name}.`;
    const next = events[Math.min(index, events.length - 1)];
    (next ? cardOf(next.uid) : reviewHeading)?.focus();
  },
  onMerge(event, intoUid) {
    const into = events.find((other) => other.uid === intoUid);
    if (!into) return;
    const [from, target] = [eventName(events, event), eventName(events, into)];
    events = mergeEvent(events, event.uid, intoUid);
    selected = intoUid;
    render();
    announcer.textContent = `Merged ${from} into ${target}.`;
    cardOf(intoUid)?.focus();
  },
};

/** Drafted participants or places whose name has the typed text in it. */
function drafted<T extends { slug: string; name: string; known: boolean }>(map: Map<string, T>, text: string, detail: (item: T) => string): Array<Suggestion<T>> {
  const wanted = text.trim().toLowerCase();
  return [...map.values()]
    .filter((item) => item.name.toLowerCase().includes(wanted) || item.slug.includes(wanted))
    .map((item) => ({ slug: item.slug, name: item.name, detail: detail(item), item }));
}

/** Stored matches first (the API ranks them), then the drafted ones not among them. */
function merged<T>(stored: Array<Suggestion<T>>, fromText: Array<Suggestion<T>>): Array<Suggestion<T>> {
  const seen = new Set(stored.map((item) => item.slug));
  return [...stored, ...fromText.filter((item) => !seen.has(item.slug))];
}

async function publishDraft(): Promise<void> {
  showAlert(publishAlert);
  publishResult.replaceChildren();
  clearInvalid(document);
  const token = tokenInput.value.trim();
  if (!token) {
    showAlert(publishAlert, "Enter the API token to publish.");
    markInvalid(tokenInput, publishAlert.id);
    tokenInput.focus();
    return;
  }
  const meta = articleMeta(publishAlert);
  if (!meta) return;
  const found = problems(events);
  if (found.length) {
    showAlert(publishAlert, "Fix these before publishing:", h("ul", {}, ...found.map((problem) => h("li", {}, problem.message))));
    for (const problem of found) markInvalid(cardOf(problem.uid)?.querySelector<HTMLElement>(`[name="${problem.field}"]`), publishAlert.id);
    cardOf(found[0]!.uid)?.querySelector<HTMLElement>(`[name="${found[0]!.field}"]`)?.focus();
    return;
  }
  publishButton.disabled = true;
  publishButton.textContent = "Publishing…";
  publish.setAttribute("aria-busy", "true");
  try {
    const input = articleInput(meta, draftedText, events, participants, locations);
    const { ingestArticle } = await gql<{ ingestArticle: { created: number; updated: number; events: Array<{ id: string; title: string }> } }>(INGEST_ARTICLE, { input }, { token });
    const first = ingestArticle.events[0];
    const counts = [`${plural(ingestArticle.created, "event")} created`, ingestArticle.updated ? `${formatUpdated(ingestArticle.updated)}` : ""].filter(Boolean).join(", ");
    publishResult.replaceChildren(
      h("p", {}, `${counts}. `, h("a", { href: first ? `/#event-${encodeURIComponent(first.id)}` : "/" }, "See them on the timeline")),
    );
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(String(error));
    const hint = apiError.code === "UNAUTHENTICATED" ? " Check the API token." : "";
    const message = /[.!?]$/.test(apiError.message) ? apiError.message : `${apiError.message}.`;
    showAlert(publishAlert, `Could not publish: ${message}${hint}`);
    const at = apiError.field ? /^input\.events\[(\d+)\]\.(\w+)/.exec(apiError.field) : null;
    const target = at ? cardOf(events[Number(at[1])]?.uid ?? "")?.querySelector<HTMLElement>(`[name="${at[2]}"]`) : apiError.field ? ARTICLE_FIELDS[apiError.field] : undefined;
    markInvalid(target, publishAlert.id);
    if (apiError.code === "UNAUTHENTICATED") {
      markInvalid(tokenInput, publishAlert.id);
      tokenInput.focus();
    } else target?.focus();
  } finally {
    publishButton.disabled = false;
    publishButton.textContent = "Publish";
    publish.removeAttribute("aria-busy");
  }
}

const formatUpdated = (n: number) => `${plural(n, "event")} updated`;

/** A .txt file opened or dropped: its header lines fill the fields, the rest is the text. */
async function openFile(file: File): Promise<void> {
  showAlert(draftAlert);
  if (!/\.txt$/i.test(file.name) && !file.type.startsWith("text/")) {
    showAlert(draftAlert, `${file.name} is not a text file: open a .txt file, or paste the text.`);
    return;
  }
  const { fields: header, text } = readArticleFile(await file.text());
  if (header.url) fields.url.value = header.url;
  if (header.title) fields.title.value = header.title;
  if (header.publisher) fields.publisher.value = header.publisher;
  if (header.author) fields.author.value = header.author;
  if (header.published) {
    const value = utcLocalValue(header.published);
    if (value) fields.published.value = value;
    else showAlert(draftAlert, `The file's "published: ${header.published}" is not a date-time: give the publication date and time above.`);
  }
  fields.text.value = text;
  fields.text.dispatchEvent(new Event("input"));
  const filled = Object.keys(header);
  announcer.textContent = `Opened ${file.name}${filled.length ? `: it filled ${filled.join(", ")} and the text` : ""}.`;
}

const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes("Files");

function wire(): void {
  articleForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void draft();
  });
  publishForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void publishDraft();
  });
  for (const field of Object.values(fields)) field.addEventListener("input", () => field.removeAttribute("aria-invalid"));
  tokenInput.addEventListener("input", () => tokenInput.removeAttribute("aria-invalid"));
  fields.text.addEventListener("input", () => {
    if (!review.hidden) textChanged.hidden = fields.text.value === draftedText;
  });
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    if (file) void openFile(file);
    fileInput.value = "";
  });
  fields.text.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    fields.text.classList.add("is-dragover");
  });
  fields.text.addEventListener("dragleave", () => fields.text.classList.remove("is-dragover"));
  fields.text.addEventListener("drop", (event) => {
    fields.text.classList.remove("is-dragover");
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    void openFile(file);
  });
  // A file dropped beside the box would open in the tab, and the review with it would be lost.
  window.addEventListener("dragover", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  window.addEventListener("drop", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });

  // Editing or focusing a card picks out its evidence; a click on a passage goes to its event.
  cards.addEventListener("focusin", (event) => {
    const uid = (event.target as Element).closest<HTMLElement>(".draft-card")?.dataset.uid;
    if (uid && uid !== selected) select(uid, false);
  });
  textPane.addEventListener("click", (event) => {
    const uid = (event.target as Element).closest<HTMLElement>("mark.evidence")?.dataset.events?.split(" ")[0];
    const card = uid ? cardOf(uid) : null;
    if (!uid || !card) return;
    select(uid, false);
    card.scrollIntoView({ block: "start", behavior: reducedMotion() ? "auto" : "smooth" });
    card.focus({ preventScroll: true });
  });
}

wire();
