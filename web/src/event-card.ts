import { h, safeHref } from "./dom";
import { claimPhrase, formatEventDate, formatWindow, humanize, isoAtPrecision, tollPhrase } from "./format";
import type { EventLink, TimelineEvent } from "./types";

/** The element id of an event in the list; `#event-<id>` links to it. */
export const eventAnchor = (id: string) => `event-${id}`;

/**
 * One event as an <article>: date at its precision, category, status, place, who took part
 * in which role, toll, sources and its causal links. `idPrefix` keeps a copy shown outside
 * the list from taking the list's ids.
 */
export function eventCard(event: TimelineEvent, idPrefix = ""): HTMLElement {
  const planned = event.status === "PLANNED";
  const titleId = `${idPrefix}${eventAnchor(event.id)}-title`;
  return h(
    "article",
    {
      id: `${idPrefix}${eventAnchor(event.id)}`,
      class: `event cat-${event.category}${planned ? " event--planned" : ""}`,
      "aria-labelledby": titleId,
      tabindex: -1,
      "data-event-id": event.id,
      "data-category": event.category,
    },
    h(
      "p",
      { class: "event__meta" },
      h("time", { class: "event__date", datetime: isoAtPrecision(event.occurredAt, event.precision) }, formatEventDate(event.occurredAt, event.precision)),
      ...windowNote(event),
      " ",
      h("span", { class: `badge badge--category cat-${event.category}` }, humanize(event.category)),
      planned ? " " : null,
      planned ? h("span", { class: "badge badge--planned" }, "Planned") : null,
    ),
    h("h4", { class: "event__title", id: titleId }, event.title),
    event.summary ? h("p", { class: "event__summary" }, event.summary) : null,
    details(event),
    links("In response to", event.causes, "causes"),
    links("Led to", event.consequences, "consequences"),
  );
}

/** The window, where sources and causal links narrowed the date: " (between 17 and 29 Jan 2024)". */
function windowNote(event: TimelineEvent): Array<Node | string> {
  const text = formatWindow(event.timeWindow, event.precision);
  return text ? [" ", h("span", { class: "event__window", title: "When it can have started, given its sources and what it responded to" }, `(${text})`)] : [];
}

function details(event: TimelineEvent): HTMLElement {
  const rows: Array<[string, Node | string]> = [];
  if (event.location) {
    const place = event.location.parent ? `${event.location.name}, ${event.location.parent.name}` : event.location.name;
    rows.push(["Where", place]);
  }
  if (event.participants.length) {
    rows.push([
      "Who",
      h(
        "ul",
        { class: "inline-list" },
        ...event.participants.map(({ role, participant }) =>
          h("li", {}, participant.name, " ", h("span", { class: "role" }, `(${role.toLowerCase()})`)),
        ),
      ),
    ]);
  }
  const toll = [tollPhrase(event.deaths, "killed"), tollPhrase(event.injuries, "injured")].filter(Boolean);
  if (toll.length) rows.push(["Toll", toll.join(", ")]);
  // Who said what, under the toll: "Pakistan: two children killed · Iran: the strikes hit hideouts".
  if (event.claims.length) rows.push(["Claims", event.claims.map(claimPhrase).join(" · ")]);
  if (event.sources.length) {
    rows.push([
      "Sources",
      h(
        "ul",
        { class: "inline-list" },
        ...event.sources.map((source) => {
          const href = safeHref(source.url);
          const label = source.publisher ? `${source.publisher}: ${source.title}` : source.title;
          return h("li", {}, href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" }, label) : label);
        }),
      ),
    ]);
  }
  return h("dl", { class: "event__details" }, ...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

function links(label: string, events: EventLink[], kind: string): HTMLElement | null {
  if (!events.length) return null;
  return h(
    "p",
    { class: `event__links event__links--${kind}` },
    h("span", { class: "event__links-label" }, `${label}: `),
    ...events.flatMap((linked, i) => [
      i ? "; " : "",
      h("a", { href: `#${eventAnchor(linked.id)}`, "data-event-link": linked.id }, linked.title),
      ` (${formatEventDate(linkedOccurredAt(linked), linked.precision)})`,
    ]),
  );
}

// A linked event comes with its PartialDate; its start is all the formatter needs.
function linkedOccurredAt(linked: EventLink): string {
  if (linked.precision === "TIME") return linked.date;
  const [year, month = "01", day = "01"] = linked.date.split("-");
  return `${year}-${month}-${day}T00:00:00.000Z`;
}
