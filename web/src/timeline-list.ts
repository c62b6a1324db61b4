import { gql } from "./api";
import { h } from "./dom";
import { eventCard } from "./event-card";
import { dayGroup, plural } from "./format";
import { TIMELINE } from "./queries";
import { toFilter, type ViewState } from "./state";
import type { EventPage } from "./types";

const PAGE_SIZE = 20;

interface ListElements {
  list: HTMLElement;
  status: HTMLElement;
  more: HTMLButtonElement;
  sentinel: HTMLElement;
}

/**
 * The events of a view, grouped under their day, a page at a time on the API's cursors:
 * the next page loads when the sentinel below the list nears the viewport (or on the
 * "Load more" button, for keyboards and old browsers). A new view discards pages still in
 * flight for the old one by its generation number, rather than aborting their requests.
 */
export class TimelineList {
  private generation = 0;
  private state: ViewState | null = null;
  private cursor: string | null = null;
  private hasNext = false;
  private loading = false;
  private shown = 0;
  private total = 0;
  private group: { key: string; list: HTMLElement } | null = null;
  private readonly observer: IntersectionObserver | null;
  /** Called after each page is added, e.g. to reveal an event a URL points at. */
  onPage: () => void = () => undefined;

  constructor(private readonly el: ListElements) {
    el.more.addEventListener("click", () => void this.loadMore());
    this.observer =
      "IntersectionObserver" in window
        ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void this.loadMore(), { rootMargin: "600px 0px" })
        : null;
  }

  /** Shows a new view from its first page. */
  async show(state: ViewState): Promise<void> {
    this.generation++;
    this.state = state;
    this.cursor = null;
    this.hasNext = true;
    this.loading = false;
    this.shown = 0;
    this.group = null;
    this.el.list.replaceChildren();
    await this.loadMore();
  }

  private async loadMore(): Promise<void> {
    if (this.loading || !this.hasNext || !this.state) return;
    const generation = this.generation;
    this.loading = true;
    this.el.list.setAttribute("aria-busy", "true");
    this.el.more.disabled = true;
    this.el.status.textContent = this.shown ? `Loading more events…` : "Loading events…";
    let page: EventPage;
    try {
      ({ timeline: page } = await gql<{ timeline: EventPage }>(TIMELINE, {
        filter: toFilter(this.state),
        order: this.state.order,
        first: PAGE_SIZE,
        after: this.cursor,
      }));
    } catch (error) {
      if (generation !== this.generation) return;
      this.loading = false;
      this.hasNext = false;
      this.el.list.removeAttribute("aria-busy");
      this.el.status.textContent = `Could not load the events: ${(error as Error).message}`;
      this.el.more.hidden = true;
      return;
    }
    if (generation !== this.generation) return;
    for (const { node } of page.edges) this.append(node);
    this.shown += page.edges.length;
    this.total = page.totalCount;
    this.cursor = page.pageInfo.endCursor;
    this.hasNext = page.pageInfo.hasNextPage;
    this.loading = false;
    this.el.list.removeAttribute("aria-busy");
    this.el.status.textContent = this.describe();
    this.el.more.hidden = !this.hasNext;
    this.el.more.disabled = false;
    this.watchSentinel();
    this.onPage();
  }

  private append(event: EventPage["edges"][number]["node"]): void {
    const { key, group, label } = dayGroup(event.occurredAt, event.precision, event.timeWindow);
    if (this.group?.key !== group) {
      const headingId = `day-${key}-${this.el.list.childElementCount}`;
      const list = h("ol", { class: "day__events" });
      this.el.list.append(
        h("section", { class: "day", "aria-labelledby": headingId, "data-day": key }, h("h3", { class: "day__heading", id: headingId }, h("time", { datetime: key }, label)), list),
      );
      this.group = { key: group, list };
    }
    this.group.list.append(h("li", {}, eventCard(event)));
  }

  private describe(): string {
    if (!this.total) return "No events match these filters.";
    if (this.shown >= this.total) return `${plural(this.total, "event")}.`;
    return `Showing ${this.shown} of ${plural(this.total, "event")}; more load as you scroll.`;
  }

  // Observing again makes the observer report the sentinel's current state, so a page too
  // short to push the sentinel out of view still leads to the next one.
  private watchSentinel(): void {
    if (!this.observer) return;
    this.observer.unobserve(this.el.sentinel);
    if (this.hasNext) this.observer.observe(this.el.sentinel);
  }
}
