import { h } from "../src/dom";
import { humanize, tollPhrase } from "../src/format";
import { CATEGORIES, ROLES } from "../src/state";
import { Typeahead } from "../src/typeahead";
import type { Named } from "../src/types";
import { QUALIFIERS, STATUSES, type DraftLocation, type DraftParticipant, type EditEvent, type Toll } from "./model";

/** A suggestion in a card's comboboxes: a stored or drafted participant or place. */
export type Suggestion<T> = Named & { item: T };

export interface CardContext {
  /** Every event under review, in order (the card's own among them). */
  events: EditEvent[];
  participants: Map<string, DraftParticipant>;
  locations: Map<string, DraftLocation>;
  searchParticipants(text: string): Promise<Array<Suggestion<DraftParticipant>>>;
  searchLocations(text: string): Promise<Array<Suggestion<DraftLocation>>>;
  /** The title was edited: other cards name the event by it. */
  onTitle(event: EditEvent): void;
  onShow(event: EditEvent): void;
  onDrop(event: EditEvent): void;
  onMerge(event: EditEvent, intoUid: string): void;
}

/** "Event 2: Talks in Lahore next week", as other cards and the marks' titles name an event. */
export const eventName = (events: EditEvent[], event: EditEvent) => `Event ${events.indexOf(event) + 1}: ${event.title.trim() || "(untitled)"}`;

/**
 * One event's card: every field of ArticleEventInput as a labelled control bound to the event
 * (edits write into it as they are made), its evidence and confidence, and Drop / Merge into.
 */
export function eventCard(event: EditEvent, ctx: CardContext): HTMLElement {
  const id = (name: string) => `${event.uid}-${name}`;
  const heading = h("span", { class: "draft-card__title", "data-title-of": event.uid }, eventName(ctx.events, event));

  const title = input(id("title"), "title", event.title, (value) => {
    event.title = value;
    ctx.onTitle(event);
  });
  const summary = h("textarea", { id: id("summary"), name: "summary", rows: 3, oninput: (e: Event) => (event.summary = (e.target as HTMLTextAreaElement).value) });
  summary.value = event.summary;

  const dateHint = id("date-hint");
  const date = (name: "date" | "notBefore" | "notAfter") =>
    input(id(name), name, event[name], (value) => (event[name] = value), { "aria-describedby": dateHint, autocomplete: "off", spellcheck: "false" });

  const card = h(
    "article",
    { id: `card-${event.uid}`, class: `draft-card cat-${event.category}`, "data-uid": event.uid, "data-key": event.key, "aria-labelledby": id("heading"), tabindex: -1 },
    h(
      "div",
      { class: "draft-card__header" },
      h("h4", { id: id("heading"), class: "draft-card__heading" }, h("span", { class: "swatch", "aria-hidden": "true" }), heading),
      h(
        "p",
        { class: "draft-card__meta" },
        h("span", { class: "draft-card__confidence" }, `Confidence ${Math.round(event.confidence * 100)}%`),
        " · ",
        h("span", { class: "draft-card__evidence" }, event.evidence.length === 1 ? "1 passage" : `${event.evidence.length} passages`),
        " ",
        h("button", { type: "button", class: "link-button", "aria-describedby": id("heading"), onclick: () => ctx.onShow(event) }, "Show in text"),
      ),
    ),
    labelled(id("title"), "Title", title),
    labelled(id("summary"), "Summary", summary),
    h(
      "fieldset",
      { class: "field" },
      h("legend", {}, "When"),
      h(
        "div",
        { class: "draft-card__dates" },
        labelled(id("date"), "Date", date("date")),
        labelled(id("notBefore"), "Not before", date("notBefore")),
        labelled(id("notAfter"), "Not after", date("notAfter")),
      ),
      h("p", { id: dateHint, class: "hint" }, "A year, a month or a day (2025, 2025-03, 2025-03-09), or a date-time with offset. Not before and not after may be blank."),
    ),
    h(
      "div",
      { class: "draft-card__pair" },
      labelled(
        id("category"),
        "Category",
        select(id("category"), "category", CATEGORIES.map((value) => [value, humanize(value)]), event.category, (value) => {
          card.classList.replace(`cat-${event.category}`, `cat-${value}`);
          event.category = value;
        }),
      ),
      labelled(id("status"), "Status", select(id("status"), "status", STATUSES.map((value) => [value, humanize(value)]), event.status, (value) => (event.status = value))),
    ),
    tollFields(id, "deaths", "Deaths", event.deaths),
    tollFields(id, "injuries", "Injuries", event.injuries),
    locationField(event, ctx, id),
    participantsField(event, ctx, id),
    causesField(event, ctx, id),
    claimsField(event, ctx, id),
    actions(event, ctx, id),
  );
  return card;
}

function labelled(forId: string, text: string | Node, control: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: forId }, text), control);
}

type Attrs = Record<string, string>;

function input(id: string, name: string, value: string, onInput: (value: string) => void, attributes: Attrs = {}): HTMLInputElement {
  const element = h("input", { id, name, type: "text", ...attributes, oninput: (e: Event) => onInput((e.target as HTMLInputElement).value) });
  element.value = value;
  return element;
}

function select(id: string, name: string, options: Array<[string, string]>, value: string, onChange: (value: string) => void): HTMLSelectElement {
  const element = h(
    "select",
    { id, name, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    ...options.map(([optionValue, label]) => h("option", { value: optionValue }, label)),
  );
  element.value = value;
  return element;
}

/** A count's best, low and high figures, its qualifier and its words: blank figures are no toll. */
function tollFields(id: (name: string) => string, name: "deaths" | "injuries", legend: string, toll: Toll): HTMLElement {
  const figure = (end: "best" | "low" | "high", text: string) => {
    const element = h("input", {
      id: id(`${name}-${end}`),
      name: `${name}-${end}`,
      type: "number",
      min: 0,
      step: 1,
      inputmode: "numeric",
      oninput: (e: Event) => {
        const box = e.target as HTMLInputElement;
        toll[end] = box.value.trim() === "" ? null : box.valueAsNumber;
      },
    });
    if (toll[end] !== null) element.value = String(toll[end]);
    return labelled(id(`${name}-${end}`), h("span", {}, h("span", { class: "visually-hidden" }, `${legend}, `), text), element);
  };
  const words = input(id(`${name}-text`), `${name}-text`, toll.text ?? "", (value) => (toll.text = value.trim() ? value : null), { autocomplete: "off" });
  return h(
    "fieldset",
    { class: "field toll" },
    h("legend", {}, legend),
    h(
      "div",
      { class: "toll__grid" },
      figure("best", "Best"),
      figure("low", "Low"),
      figure("high", "High"),
      labelled(
        id(`${name}-qualifier`),
        h("span", {}, h("span", { class: "visually-hidden" }, `${legend}, `), "Qualifier"),
        select(id(`${name}-qualifier`), `${name}-qualifier`, QUALIFIERS.map((value) => [value, humanize(value)]), toll.qualifier, (value) => (toll.qualifier = value as Toll["qualifier"])),
      ),
      labelled(id(`${name}-text`), h("span", {}, h("span", { class: "visually-hidden" }, `${legend}, `), "In the source's words"), words),
    ),
  );
}

/** The place: one, searched among stored places and the drafted ones. */
function locationField(event: EditEvent, ctx: CardContext, id: (name: string) => string): HTMLElement {
  const box = h("input", { id: id("location"), name: "location", type: "text", placeholder: "Type a place" });
  const listbox = h("ul", { id: id("location-options"), class: "options", hidden: true });
  const chips = h("ul", { class: "chips", "aria-label": "Chosen place", hidden: true });
  const typeahead = new Typeahead<Suggestion<DraftLocation>>({
    input: box,
    listbox,
    chips,
    noun: "place",
    search: (text) => ctx.searchLocations(text),
    onChange(selected) {
      // One place: a new pick replaces the one before.
      const place = selected[selected.length - 1];
      if (place && !ctx.locations.has(place.slug)) ctx.locations.set(place.slug, place.item);
      event.location = place?.slug ?? null;
      typeahead.set(place ? [place] : []);
    },
  });
  const current = event.location ? ctx.locations.get(event.location) : undefined;
  if (event.location) typeahead.set([{ slug: event.location, name: current?.name ?? event.location, item: current! }]);
  return h("div", { class: "field combo" }, h("label", { for: id("location") }, "Place"), chips, box, listbox);
}

/** Who took part, in which role: a role select and a remove button each, and a combobox to add one. */
function participantsField(event: EditEvent, ctx: CardContext, id: (name: string) => string): HTMLElement {
  const list = h("ul", { class: "roles" });
  const render = () => {
    list.replaceChildren(
      ...event.participants.map((role, i) => {
        const participant = ctx.participants.get(role.participant);
        const name = participant?.name ?? role.participant;
        const roleId = id(`role-${i}`);
        return h(
          "li",
          { class: "roles__item", "data-slug": role.participant },
          h("span", { class: "roles__name" }, name),
          participant && !participant.known ? h("span", { class: "badge badge--new" }, "new") : null,
          h("label", { for: roleId, class: "visually-hidden" }, `Role of ${name}`),
          select(roleId, `role-${i}`, ROLES.map((value) => [value, humanize(value)]), role.role, (value) => (role.role = value)),
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              "aria-label": `Remove ${name}`,
              onclick: () => {
                event.participants = event.participants.filter((kept) => kept !== role);
                render();
                box.focus();
              },
            },
            "Remove",
          ),
        );
      }),
    );
    list.hidden = !event.participants.length;
  };
  const box = h("input", { id: id("add-participant"), type: "text", placeholder: "Type a name", "aria-describedby": id("add-participant-hint") });
  const listbox = h("ul", { id: id("add-participant-options"), class: "options", hidden: true });
  const chips = h("ul", { class: "chips", "aria-label": "Participant being added", hidden: true });
  const typeahead = new Typeahead<Suggestion<DraftParticipant>>({
    input: box,
    listbox,
    chips,
    noun: "participant",
    search: async (text) => (await ctx.searchParticipants(text)).filter((found) => !event.participants.some((role) => role.participant === found.slug)),
    onChange(selected) {
      const picked = selected[selected.length - 1];
      typeahead.set([]);
      if (!picked) return;
      if (!ctx.participants.has(picked.slug)) ctx.participants.set(picked.slug, picked.item);
      event.participants.push({ participant: picked.slug, role: event.category === "PROTEST" || event.category === "DIPLOMACY" ? "PARTICIPANT" : "ACTOR" });
      render();
      box.focus();
    },
  });
  render();
  return h(
    "fieldset",
    { class: "field" },
    h("legend", {}, "Participants"),
    list,
    h(
      "div",
      { class: "combo" },
      h("label", { for: id("add-participant") }, "Add a participant"),
      chips,
      box,
      listbox,
      h("p", { id: id("add-participant-hint"), class: "hint" }, "Stored participants by name or alias, and those drafted from this text."),
    ),
  );
}

/** The other events this one responded to. */
function causesField(event: EditEvent, ctx: CardContext, id: (name: string) => string): HTMLElement {
  const others = ctx.events.filter((other) => other !== event);
  return h(
    "fieldset",
    { class: "field" },
    h("legend", {}, "In response to"),
    others.length
      ? h(
          "div",
          { class: "causes" },
          ...others.map((other) => {
            const box = h("input", {
              type: "checkbox",
              id: id(`cause-${other.uid}`),
              name: "causes",
              value: other.key,
              onchange: (e: Event) => {
                const checked = (e.target as HTMLInputElement).checked;
                event.causes = checked ? [...new Set([...event.causes, other.key])] : event.causes.filter((key) => key !== other.key);
              },
            });
            box.checked = event.causes.includes(other.key);
            return h("label", { class: "check", for: id(`cause-${other.uid}`) }, box, h("span", { "data-title-of": other.uid }, eventName(ctx.events, other)));
          }),
        )
      : h("p", { class: "hint" }, "No other events."),
  );
}

/** Who said what: the claimant and figures as drafted, the statement editable, a claim removable. */
function claimsField(event: EditEvent, ctx: CardContext, id: (name: string) => string): HTMLElement | null {
  const list = h("ol", { class: "claims" });
  const render = () => {
    list.replaceChildren(
      ...event.claims.map((claim, i) => {
        const statementId = id(`claim-${i}`);
        const claimant = claim.claimant ? (ctx.participants.get(claim.claimant)?.name ?? claim.claimant) : "Not named";
        const figures = [tollPhrase(claim.deaths, "killed"), tollPhrase(claim.injuries, "injured")].filter(Boolean).join(", ");
        const statement = h("textarea", { id: statementId, name: `claim-${i}`, rows: 2, oninput: (e: Event) => (claim.statement = (e.target as HTMLTextAreaElement).value) });
        statement.value = claim.statement;
        return h(
          "li",
          { class: "claim" },
          h("p", { class: "claim__who" }, h("span", { class: "claim__label" }, "Claimant: "), claimant, figures ? ` · ${figures}` : ""),
          h("label", { for: statementId }, "Statement", h("span", { class: "visually-hidden" }, ` of claim ${i + 1}`)),
          statement,
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              onclick: () => {
                event.claims = event.claims.filter((kept) => kept !== claim);
                render();
              },
            },
            `Remove claim ${i + 1}`,
          ),
        );
      }),
    );
  };
  render();
  if (!event.claims.length) return null;
  return h("fieldset", { class: "field" }, h("legend", {}, "Claims"), list);
}

function actions(event: EditEvent, ctx: CardContext, id: (name: string) => string): HTMLElement {
  const others = ctx.events.filter((other) => other !== event);
  const target = h(
    "select",
    { id: id("merge"), name: "merge", disabled: !others.length },
    h("option", { value: "" }, others.length ? "Choose an event" : "No other events"),
    ...others.map((other) => h("option", { value: other.uid, "data-title-of": other.uid }, eventName(ctx.events, other))),
  );
  const error = h("p", { id: id("merge-error"), class: "error", "aria-live": "polite" });
  return h(
    "div",
    { class: "draft-card__actions" },
    h("button", { type: "button", class: "secondary danger", "aria-describedby": id("heading"), onclick: () => ctx.onDrop(event) }, "Drop"),
    h(
      "div",
      { class: "merge" },
      h("label", { for: id("merge") }, "Merge into…"),
      target,
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          disabled: !others.length,
          "aria-describedby": `${id("heading")} ${id("merge-error")}`,
          onclick: () => {
            if (!target.value) {
              error.textContent = "Choose the event to merge this one into.";
              target.focus();
              return;
            }
            ctx.onMerge(event, target.value);
          },
        },
        "Merge",
      ),
    ),
    error,
  );
}
