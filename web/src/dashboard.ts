import { gql } from "./api";
import { stackedBars, type Series } from "./chart";
import { h } from "./dom";
import { formatCount, formatEventDate, plural } from "./format";
import { bucketsQuery, SPAN_COUNTS, STATS } from "./queries";
import { toFilter, type ViewState } from "./state";
import type { Bucket, Interval, Named, StatsSummary } from "./types";

const DAY_MS = 86_400_000;

interface DashboardElements {
  totals: HTMLElement;
  chart: HTMLElement;
  top: HTMLElement;
}

/**
 * The strip above the list: totals, events per week by category, and the top participants,
 * all from `timelineStats` over the view's filter. Picking a top participant filters by it.
 */
export class Dashboard {
  private generation = 0;

  constructor(
    private readonly el: DashboardElements,
    private readonly onParticipant: (participant: Named) => void,
  ) {}

  async show(state: ViewState): Promise<void> {
    const generation = ++this.generation;
    const filter = toFilter(state);
    for (const part of Object.values(this.el)) part.setAttribute("aria-busy", "true");
    try {
      const { timelineStats: stats } = await gql<{ timelineStats: StatsSummary }>(STATS, { filter });
      if (generation !== this.generation) return;
      this.renderTotals(stats);
      this.renderTop(stats);
      const chart = await this.chart(state, stats);
      if (generation !== this.generation) return;
      this.el.chart.replaceChildren(chart);
    } catch (error) {
      if (generation !== this.generation) return;
      this.el.totals.replaceChildren(h("p", { class: "error" }, `The figures could not be loaded: ${(error as Error).message}`));
      this.el.chart.replaceChildren();
      this.el.top.replaceChildren();
    } finally {
      if (generation === this.generation) for (const part of Object.values(this.el)) part.removeAttribute("aria-busy");
    }
  }

  private renderTotals(stats: StatsSummary): void {
    const figure = (value: string, label: string, name: string) =>
      h("div", { class: "figure", "data-figure": name }, h("dt", {}, label), h("dd", {}, value));
    const range =
      stats.first && stats.last
        ? `${formatEventDate(stats.first, "DAY")} – ${formatEventDate(stats.last, "DAY")}`
        : "–";
    this.el.totals.replaceChildren(
      h(
        "dl",
        { class: "figures" },
        figure(formatCount(stats.count), "Events", "count"),
        figure(formatCount(stats.fatalities), "Killed", "fatalities"),
        figure(formatCount(stats.injured), "Injured", "injured"),
        figure(range, "From – to", "range"),
      ),
    );
  }

  private renderTop(stats: StatsSummary): void {
    if (!stats.topParticipants.length) {
      this.el.top.replaceChildren(h("p", {}, "No participants."));
      return;
    }
    this.el.top.replaceChildren(
      h(
        "ol",
        { class: "top-list" },
        ...stats.topParticipants.map(({ participant, count, fatalities }) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "link-button",
                "aria-label": `Filter by ${participant.name}`,
                onclick: () => this.onParticipant(participant),
              },
              participant.name,
            ),
            h("span", { class: "top-list__figures" }, ` ${plural(count, "event")}${fatalities ? `, ${formatCount(fatalities)} killed` : ""}`),
          ),
        ),
      ),
    );
  }

  private async chart(state: ViewState, stats: StatsSummary): Promise<HTMLElement> {
    if (!stats.count || !stats.first || !stats.last) return h("p", { class: "chart__empty" }, "No events to chart.");
    const { interval, span } = await chartSpan(state, stats.first, stats.last);
    // A span too long to draw even in years (a year mistyped by centuries, stored before dates
    // were checked) is charted over the MAX_YEARS at its start or its end that hold more events,
    // and the rest said in words.
    const filter = span ? { ...toFilter(state), ...span } : toFilter(state);
    const categories = stats.byCategory.map((c) => c.category);
    const variables: Record<string, unknown> = { interval, all: filter };
    categories.forEach((category, i) => (variables[`c${i}`] = { ...filter, categories: [category] }));
    const data = await gql<Record<string, { buckets: Bucket[] }>>(bucketsQuery(categories), variables);
    const series: Series[] = categories.map((category, i) => ({
      category,
      counts: new Map(data[`c${i}`].buckets.filter((b) => b.count).map((b) => [b.start, b.count])),
    }));
    const chart = stackedBars(data.all.buckets, series, interval, this.el.chart.clientWidth || 640);
    if (!span) return chart;
    const charted = data.all.buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    const note = h("p", { class: "chart__note" }, `Charted ${span.from}–${span.to}; ${plural(stats.count - charted, "event")} outside those years or spanning several not shown.`);
    return h("div", {}, chart, note);
  }
}

/** The most years the chart draws: a bar each. */
const MAX_YEARS = 200;

/**
 * Weeks, unless the span from the data's first to last start is too long to draw them: then
 * months, then years; and past MAX_YEARS years, the MAX_YEARS at the start or the end of the
 * span that hold more events (`span`, as a filter's from and to).
 */
async function chartSpan(state: ViewState, first: string, last: string): Promise<{ interval: Interval; span?: { from: string; to: string } }> {
  const start = Math.min(Date.parse(first), state.from ? Date.parse(bound(state.from)) : Infinity);
  const end = Math.max(Date.parse(last), state.to ? Date.parse(bound(state.to)) : -Infinity);
  const days = (end - start) / DAY_MS;
  if (days <= 2 * 366) return { interval: "WEEK" };
  if (days <= 25 * 366) return { interval: "MONTH" };
  if (days <= MAX_YEARS * 365) return { interval: "YEAR" };
  const year = (at: number) => new Date(at).getUTCFullYear();
  const yearText = (value: number) => String(value).padStart(4, "0");
  const head = { from: yearText(year(start)), to: yearText(year(start) + MAX_YEARS - 1) };
  const tail = { from: yearText(year(end) - MAX_YEARS + 1), to: yearText(year(end)) };
  const filter = toFilter(state);
  const counts = await gql<{ head: { count: number }; tail: { count: number } }>(SPAN_COUNTS, { head: { ...filter, ...head }, tail: { ...filter, ...tail } });
  return { interval: "YEAR", span: counts.tail.count > counts.head.count ? tail : head };
}

const bound = (partial: string) => `${partial}${["-01-01", "-01", ""][partial.split("-").length - 1]}T00:00:00Z`;
