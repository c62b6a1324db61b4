import { gql } from "./api";
import { Dashboard } from "./dashboard";
import { byId, h } from "./dom";
import { eventAnchor, eventCard } from "./event-card";
import { humanize } from "./format";
import { EVENT, LOCATION_SEARCH, namesQuery, PARTICIPANT_SEARCH } from "./queries";
import { CATEGORIES, filterQuery, nearLabel, PARTIAL_DATE, parseState, radiusValid, ROLES, stateToQuery, type Near, type ViewState } from "./state";
import { TimelineList } from "./timeline-list";
import { Typeahead } from "./typeahead";
import type { Named, TimelineEvent } from "./types";

const SEARCH_DEBOUNCE_MS = 350;

/** A place the distance filter can start from: one with a point of its own. */
type Place = Named & { latitude: number; longitude: number };
type LocationHit = { slug: string; name: string; kind: string; latitude: number | null; longitude: number | null; parent: { name: string } | null };

const form = byId<HTMLFormElement>("filters");
const searchInput = byId<HTMLInputElement>("f-search");
const fromInput = byId<HTMLInputElement>("f-from");
const toInput = byId<HTMLInputElement>("f-to");
const dateError = byId("f-date-error");
const categoryBoxes = byId("f-categories");
const roleBoxes = byId("f-roles");
const radiusInput = byId<HTMLInputElement>("f-radius");
const radiusError = byId("f-radius-error");
const panel = byId<HTMLDetailsElement>("filters-panel");
const activeCount = byId("filters-active");
const linked = byId("linked");

/** Names of the participants and places picked so far, by slug, for their chips. */
const names = { participant: new Map<string, Named>(), location: new Map<string, Named>() };
let state: ViewState = parseState(location.search);
let pendingHash: string | null = location.hash;

const list = new TimelineList({ list: byId("events"), status: byId("events-status"), more: byId<HTMLButtonElement>("load-more"), sentinel: byId("sentinel") });
list.onPage = () => {
  // A shared link to one event: reveal it once its view's first page is in.
  if (pendingHash === null) return;
  const id = idFromHash(pendingHash);
  pendingHash = null;
  if (id) void reveal(id, false);
};

const dashboard = new Dashboard({ totals: byId("dash-totals"), chart: byId("dash-chart"), top: byId("dash-top") }, (participant) => {
  if (state.participants.includes(participant.slug)) return;
  names.participant.set(participant.slug, participant);
  apply({ ...state, participants: [...state.participants, participant.slug] }, "push");
});

const participants = new Typeahead<Named>({
  input: byId<HTMLInputElement>("f-participant"),
  listbox: byId("f-participant-options"),
  chips: byId("f-participant-chips"),
  noun: "participant",
  async search(text) {
    const data = await gql<{ participants: { edges: Array<{ node: { slug: string; name: string; kind: string } }> } }>(PARTICIPANT_SEARCH, { search: text });
    return data.participants.edges.map(({ node }) => ({ slug: node.slug, name: node.name, detail: humanize(node.kind).toLowerCase() }));
  },
  onChange(selected) {
    for (const item of selected) names.participant.set(item.slug, item);
    apply({ ...state, participants: selected.map((item) => item.slug) }, "push");
  },
});

const places = new Typeahead<Named>({
  input: byId<HTMLInputElement>("f-location"),
  listbox: byId("f-location-options"),
  chips: byId("f-location-chips"),
  noun: "place",
  async search(text) {
    return (await searchLocations(text)).map((node) => ({ slug: node.slug, name: node.name, detail: placeDetail(node) }));
  },
  onChange(selected) {
    for (const item of selected) names.location.set(item.slug, item);
    apply({ ...state, locations: selected.map((item) => item.slug) }, "push");
  },
});

const nearPlaces = new Typeahead<Place>({
  input: byId<HTMLInputElement>("f-near"),
  listbox: byId("f-near-options"),
  chips: byId("f-near-chips"),
  noun: "place",
  async search(text) {
    // The filter is a point and a radius: a place with no point of its own has nothing to measure from.
    return (await searchLocations(text)).flatMap((node) =>
      node.latitude === null || node.longitude === null ? [] : [{ slug: node.slug, name: node.name, detail: placeDetail(node), latitude: node.latitude, longitude: node.longitude }],
    );
  },
  chip(place) {
    // Built before the pick reaches the state, so the radius is the one typed (syncForm puts the state's there).
    const text = nearLabel({ latitude: place.latitude, longitude: place.longitude, radiusKm: radiusInput.valueAsNumber }, place.name);
    return { text, remove: `Remove the filter ${text}` };
  },
  onChange(selected) {
    // One place at a time: a new pick replaces the one before.
    const place = selected[selected.length - 1];
    if (!place) return apply({ ...state, near: null, nearPlace: "" }, "push");
    const radiusKm = readRadius();
    if (radiusKm === null) return nearPlaces.set(nearChip(state));
    names.location.set(place.slug, place);
    apply({ ...state, near: { latitude: place.latitude, longitude: place.longitude, radiusKm }, nearPlace: place.slug }, "push");
  },
});

async function searchLocations(text: string): Promise<LocationHit[]> {
  const data = await gql<{ locations: { edges: Array<{ node: LocationHit }> } }>(LOCATION_SEARCH, { search: text });
  return data.locations.edges.map(({ node }) => node);
}

const placeDetail = (node: LocationHit) => (node.parent ? `in ${node.parent.name}` : humanize(node.kind).toLowerCase());

/** The distance filter's chip: the place's name once known, its point until then (syncForm after resolveNames). */
function nearChip(view: ViewState): Place[] {
  if (!view.near) return [];
  const { latitude, longitude } = view.near;
  return [{ slug: view.nearPlace, name: names.location.get(view.nearPlace)?.name ?? "", latitude, longitude }];
}

/** The radius as typed, or null, with the reason shown, when the API would refuse it. */
function readRadius(): number | null {
  const radiusKm = radiusInput.valueAsNumber;
  const valid = radiusValid(radiusKm);
  radiusInput.setAttribute("aria-invalid", String(!valid));
  radiusError.textContent = valid ? "" : "Radius: a number of km, more than 0 and at most 20,000.";
  return valid ? radiusKm : null;
}

/**
 * The distance filter with the radius now typed; the applied one stays while the typed one is
 * refused. Checked with no place picked too, so a bad radius is pointed out before it is used.
 */
function nearFromForm(): Near | null {
  const radiusKm = readRadius();
  if (!state.near) return null;
  return { ...state.near, radiusKm: radiusKm ?? state.near.radiusKm };
}

function buildCategoryBoxes(): void {
  categoryBoxes.append(
    ...CATEGORIES.map((category) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "categories", value: category }),
        h("span", { class: `swatch cat-${category}`, "aria-hidden": "true" }),
        humanize(category),
      ),
    ),
  );
}

function buildRoleBoxes(): void {
  roleBoxes.append(...ROLES.map((role) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "roles", value: role }), humanize(role))));
}

const checked = (boxes: HTMLElement) => [...boxes.querySelectorAll<HTMLInputElement>("input:checked")].map((box) => box.value);

/** The view the form describes (the typeaheads report their own changes). */
function stateFromForm(): ViewState {
  return {
    ...state,
    search: searchInput.value.trim(),
    from: fromInput.value.trim(),
    to: toInput.value.trim(),
    categories: checked(categoryBoxes),
    roles: checked(roleBoxes),
    near: nearFromForm(),
    order: document.querySelector<HTMLInputElement>("input[name=order]:checked")?.value === "DESC" ? "DESC" : "ASC",
  };
}

/** Puts a view into the form: on load, on back and forward. */
function syncForm(view: ViewState): void {
  searchInput.value = view.search;
  fromInput.value = view.from;
  toInput.value = view.to;
  for (const box of categoryBoxes.querySelectorAll<HTMLInputElement>("input")) box.checked = view.categories.includes(box.value);
  for (const box of roleBoxes.querySelectorAll<HTMLInputElement>("input")) box.checked = view.roles.includes(box.value);
  // With no distance filter the radius typed stays, for the next place picked.
  if (view.near) {
    radiusInput.value = String(view.near.radiusKm);
    readRadius();
  }
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=order]")) radio.checked = radio.value === view.order;
  participants.set(view.participants.map((slug) => names.participant.get(slug) ?? { slug, name: slug }));
  places.set(view.locations.map((slug) => names.location.get(slug) ?? { slug, name: slug }));
  nearPlaces.set(nearChip(view));
  const active =
    [view.search, view.from, view.to].filter(Boolean).length + view.categories.length + view.participants.length + view.roles.length + view.locations.length + (view.near ? 1 : 0);
  activeCount.textContent = active ? `(${active} active)` : "";
}

/** Dates must be a year, a month or a day before they go to the API. */
function datesValid(view: ViewState): boolean {
  const bad = [view.from && !PARTIAL_DATE.test(view.from) ? "From" : "", view.to && !PARTIAL_DATE.test(view.to) ? "To" : ""].filter(Boolean);
  fromInput.setAttribute("aria-invalid", String(bad.includes("From")));
  toInput.setAttribute("aria-invalid", String(bad.includes("To")));
  dateError.textContent = bad.length ? `${bad.join(" and ")}: write a year, a month or a day, e.g. 2024, 2024-01 or 2024-01-17.` : "";
  return bad.length === 0;
}

/** Shows a view and records it in the URL (a new history entry, or in place while typing). */
function apply(next: ViewState, history: "push" | "replace" | "none"): void {
  if (!datesValid(next)) return;
  const query = stateToQuery(next);
  if (history !== "none" && query === stateToQuery(state)) return;
  state = next;
  // An event shown beside the list belonged to the old view.
  if (history !== "none") linked.hidden = true;
  if (history === "push") window.history.pushState(null, "", location.pathname + query);
  if (history === "replace") window.history.replaceState(null, "", location.pathname + query);
  syncForm(state);
  updateExportLinks(filterQuery(state));
  void list.show(state);
  void dashboard.show(state);
}

function updateExportLinks(query: string): void {
  byId<HTMLAnchorElement>("export-csv").href = `/export/events.csv${query}`;
  byId<HTMLAnchorElement>("export-json").href = `/export/timeline.json${query}`;
}

/** Slugs in a shared URL come without names: ask for them, a few aliases per request. */
async function resolveNames(view: ViewState): Promise<void> {
  const missing = (field: "participant" | "location", slugs: string[]) => [...new Set(slugs)].filter((slug) => slug && !names[field].has(slug));
  const locationSlugs = [...view.locations, view.nearPlace];
  for (const [field, slugs] of [["participant", missing("participant", view.participants)], ["location", missing("location", locationSlugs)]] as const) {
    for (let i = 0; i < slugs.length; i += 10) {
      const chunk = slugs.slice(i, i + 10);
      const variables = Object.fromEntries(chunk.map((slug, j) => [`s${j}`, slug]));
      try {
        const data = await gql<Record<string, Named | null>>(namesQuery(field, chunk), variables);
        for (const found of Object.values(data)) if (found) names[field].set(found.slug, found);
      } catch {
        // The chips keep the slugs; the list itself reports an unknown one.
      }
    }
  }
  if (stateToQuery(view) === stateToQuery(state)) syncForm(state);
}

const idFromHash = (hash: string): string | null => /^#event-(.+)$/.exec(hash)?.[1] ?? null;

/**
 * Brings an event into view: in the list if it is loaded there, otherwise fetched with
 * `event(id)` and shown above the list, since it lies outside the view or further down.
 */
async function reveal(id: string, fromClick: boolean): Promise<void> {
  const inList = document.getElementById(eventAnchor(id));
  if (inList) return focusEvent(inList);
  let event: TimelineEvent | null;
  try {
    ({ event } = await gql<{ event: TimelineEvent | null }>(EVENT, { id }));
  } catch (error) {
    byId("events-status").textContent = `Could not load that event: ${(error as Error).message}`;
    return;
  }
  const body = byId("linked-body");
  if (!event) {
    body.replaceChildren(h("p", {}, "That event is no longer on the timeline."));
  } else {
    body.replaceChildren(
      h("p", { class: "linked__note" }, fromClick ? "Not in the list as loaded (it is outside the filters or further down):" : "The event this link points to:"),
      eventCard(event, "linked-"),
    );
  }
  linked.hidden = false;
  focusEvent(body.querySelector<HTMLElement>("article") ?? linked);
}

function focusEvent(element: HTMLElement): void {
  document.querySelector(".is-target")?.classList.remove("is-target");
  element.classList.add("is-target");
  element.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  element.focus({ preventScroll: true });
}

function wire(): void {
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  searchInput.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => apply(stateFromForm(), "replace"), SEARCH_DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    apply(stateFromForm(), "push");
  });
  for (const input of [fromInput, toInput]) input.addEventListener("change", () => apply(stateFromForm(), "push"));
  categoryBoxes.addEventListener("change", () => apply(stateFromForm(), "push"));
  roleBoxes.addEventListener("change", () => apply(stateFromForm(), "push"));
  // A radius typed with no place picked waits for one (nearFromForm checks it either way).
  radiusInput.addEventListener("change", () => apply(stateFromForm(), "push"));
  byId("order").addEventListener("change", () => apply(stateFromForm(), "push"));
  byId("f-clear").addEventListener("click", () => apply(parseState(""), "push"));
  byId("linked-close").addEventListener("click", () => {
    linked.hidden = true;
    byId("events").focus();
  });

  // Causal links: in-page when the event is listed, fetched otherwise; the hash records it.
  document.addEventListener("click", (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>("a[data-event-link]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    const id = link.dataset.eventLink!;
    window.history.pushState(null, "", `${location.pathname}${location.search}#${eventAnchor(id)}`);
    void reveal(id, true);
  });

  window.addEventListener("popstate", () => {
    const next = parseState(location.search);
    if (stateToQuery(next) !== stateToQuery(state)) {
      pendingHash = location.hash || null;
      void resolveNames(next);
      apply(next, "none");
      return;
    }
    const id = idFromHash(location.hash);
    if (id) void reveal(id, true);
  });
}

function start(): void {
  buildCategoryBoxes();
  buildRoleBoxes();
  // Wide screens keep the filters open beside the list; phones fold them away.
  panel.open = matchMedia("(min-width: 60rem)").matches;
  wire();
  syncForm(state);
  void resolveNames(state);
  apply(state, "none");
}

start();
