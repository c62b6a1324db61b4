import { h, s } from "./dom";
import { formatBucket, humanize, plural } from "./format";
import type { Bucket, Interval } from "./types";

export interface Series {
  category: string;
  /** Counts by bucket start (ISO), a subset of the axis. */
  counts: Map<string, number>;
}

const HEIGHT = 180;
const PAD = { top: 10, right: 8, bottom: 24, left: 30 };

/**
 * Events per bucket as stacked bars, one colour per category (the colours live in the
 * stylesheet as `.cat-<CATEGORY>`), drawn as inline SVG. A table of the same figures follows
 * for screen readers and for anyone who wants the numbers.
 */
export function stackedBars(axis: Bucket[], series: Series[], interval: Interval, width: number): HTMLElement {
  // Drawn at the width it is shown at, so that its text keeps its size on a phone.
  const chartW = Math.max(280, Math.round(width));
  const unit = interval.toLowerCase();
  const totals = axis.map((bucket) => bucket.count);
  const max = Math.max(1, ...axis.map((bucket) => bucket.count + (bucket.uncertain ?? 0)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = chartW - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, axis.length);
  const barW = Math.max(1, slot * 0.75);
  const y = (value: number) => PAD.top + plotH - (value / top) * plotH;

  const grid = [];
  for (let value = 0; value <= top; value += step) {
    grid.push(
      s("line", { class: "chart__grid", x1: PAD.left, x2: chartW - PAD.right, y1: y(value), y2: y(value) }),
      s("text", { class: "chart__tick", x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end" }, value),
    );
  }
  const labelEvery = Math.ceil(axis.length / Math.max(2, Math.floor(chartW / 70)));
  const bars = axis.flatMap((bucket, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const parts = series.flatMap(({ category, counts }) => {
      const count = counts.get(bucket.start) ?? 0;
      if (!count) return [];
      const rect = s(
        "rect",
        { class: `chart__bar cat-${category}`, x, width: barW, y: y(base + count), height: y(base) - y(base + count) },
        s("title", {}, `${unit} of ${formatBucket(bucket.start, interval)}: ${plural(count, humanize(category).toLowerCase() + " event")}`),
      );
      base += count;
      return [rect];
    });
    // Events whose window reaches beyond this bucket: hatched, above the certain ones, counted apart.
    const uncertain = bucket.uncertain ?? 0;
    if (uncertain) {
      parts.push(
        s(
          "rect",
          { class: "chart__bar chart__bar--uncertain", x, width: barW, y: y(base + uncertain), height: y(base) - y(base + uncertain) },
          s("title", {}, `${unit} of ${formatBucket(bucket.start, interval)}: ${plural(uncertain, "event")} that may have started in it, or later or earlier`),
        ),
      );
    }
    const label =
      i % labelEvery === 0
        ? [s("text", { class: "chart__tick", x: x + barW / 2, y: HEIGHT - 6, "text-anchor": "middle" }, formatBucket(bucket.start, interval))]
        : [];
    return [...parts, ...label];
  });

  const total = totals.reduce((a, b) => a + b, 0);
  const busiest = axis.reduce<Bucket | null>((best, bucket) => (!best || bucket.count > best.count ? bucket : best), null);
  const summary = busiest
    ? `${plural(total, "event")} over ${plural(axis.length, unit)}; the busiest, the ${unit} of ${formatBucket(busiest.start, interval)}, had ${busiest.count}.`
    : "No events.";

  return h(
    "figure",
    { class: "chart" },
    h("figcaption", { class: "chart__caption" }, `Events per ${unit}, by category`),
    s(
      "svg",
      { class: "chart__svg", viewBox: `0 0 ${chartW} ${HEIGHT}`, role: "img", "aria-label": summary },
      s("defs", {}, s("pattern", { id: "chart-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, s("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "chart__hatch" }))),
      ...grid,
      ...bars,
    ),
    h(
      "ul",
      { class: "chart__legend", "aria-label": "Categories" },
      ...series.map(({ category, counts }) =>
        h("li", {}, h("span", { class: `swatch cat-${category}`, "aria-hidden": "true" }), `${humanize(category)} (${[...counts.values()].reduce((a, b) => a + b, 0)})`),
      ),
      ...(axis.some((bucket) => bucket.uncertain)
        ? [h("li", {}, h("span", { class: "swatch swatch--uncertain", "aria-hidden": "true" }), "Uncertain: may have started in that or a neighbouring " + unit)]
        : []),
    ),
    table(axis, series, interval),
  );
}

function table(axis: Bucket[], series: Series[], interval: Interval): HTMLElement {
  return h(
    "details",
    { class: "chart__table" },
    h("summary", {}, "The figures as a table"),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, humanize(interval)), ...series.map(({ category }) => h("th", { scope: "col" }, humanize(category))), h("th", { scope: "col" }, "All"), h("th", { scope: "col" }, "Uncertain"))),
        h(
          "tbody",
          {},
          ...axis.map((bucket) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, formatBucket(bucket.start, interval)),
              ...series.map(({ counts }) => h("td", {}, counts.get(bucket.start) ?? 0)),
              h("td", {}, bucket.count),
              h("td", {}, bucket.uncertain ?? 0),
            ),
          ),
        ),
      ),
    ),
  );
}

// 1, 2 or 5 times a power of ten, so that about four gridlines fit.
function niceStep(max: number): number {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return Math.max(1, m * power);
  return power * 10;
}
