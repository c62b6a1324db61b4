import { h } from "../src/dom";
import type { EditEvent } from "./model";

/**
 * The article's text with every event's evidence in <mark> elements: the text is cut at each
 * span's ends, and each piece inside one or more spans is a mark naming those events
 * (`data-events`, their uids). A piece that starts a span carries the events' numbers
 * (`data-label`, shown before it by the stylesheet). Offsets are UTF-16, as the API's and
 * JavaScript's strings count.
 */
export function renderText(container: HTMLElement, text: string, events: EditEvent[]): void {
  const cuts = new Set([0, text.length]);
  for (const event of events) {
    for (const span of event.evidence) {
      cuts.add(clamp(span.start, text.length));
      cuts.add(clamp(span.end, text.length));
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Node[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i]!, points[i + 1]!];
    const piece = text.slice(from, to);
    const covering = events.flatMap((event, n) => (event.evidence.some((span) => span.start <= from && span.end >= to) ? [{ event, n }] : []));
    if (!covering.length) {
      pieces.push(document.createTextNode(piece));
      continue;
    }
    const starting = covering.filter(({ event }) => event.evidence.some((span) => span.start === from));
    pieces.push(
      h(
        "mark",
        {
          class: "evidence",
          "data-events": covering.map(({ event }) => event.uid).join(" "),
          "data-label": starting.length ? starting.map(({ n }) => n + 1).join(", ") : null,
          title: `Evidence for ${covering.map(({ n }) => `event ${n + 1}`).join(" and ")}`,
        },
        piece,
      ),
    );
  }
  container.replaceChildren(...pieces);
}

const clamp = (offset: number, length: number) => Math.max(0, Math.min(length, offset));

/** Marks one event's evidence as selected (none with null); returns its first mark. */
export function selectEvidence(container: HTMLElement, uid: string | null): HTMLElement | null {
  let first: HTMLElement | null = null;
  for (const mark of container.querySelectorAll<HTMLElement>("mark.evidence")) {
    const selected = uid !== null && (mark.dataset.events ?? "").split(" ").includes(uid);
    mark.classList.toggle("is-selected", selected);
    if (selected && !first) first = mark;
  }
  return first;
}
