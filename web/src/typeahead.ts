import { h } from "./dom";
import type { Named } from "./types";

interface TypeaheadOptions<T extends Named> {
  input: HTMLInputElement;
  listbox: HTMLElement;
  chips: HTMLElement;
  /** What the chips' remove buttons call a value: "participant", "place". */
  noun: string;
  search(text: string): Promise<T[]>;
  onChange(selected: T[]): void;
  /** A chip's words and its remove button's label, when the value's name and "Remove <noun> <name>" say too little. */
  chip?(item: T): { text: string; remove: string };
}

const DEBOUNCE_MS = 150;

/**
 * Search-as-you-type over the API (an ARIA 1.2 combobox with a listbox popup): typing asks
 * for matches, arrows move through them, Enter or a click picks one, Escape closes the list.
 * Picked values show as chips, each with a remove button.
 */
export class Typeahead<T extends Named = Named> {
  private selected: T[] = [];
  private options: T[] = [];
  private active = -1;
  private sequence = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Tells screen readers how many matches came back. */
  private readonly announcer = h("span", { class: "visually-hidden", "aria-live": "polite" });

  constructor(private readonly o: TypeaheadOptions<T>) {
    const { input, listbox } = o;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.autocomplete = "off";
    listbox.setAttribute("role", "listbox");
    listbox.after(this.announcer);
    input.addEventListener("input", () => this.schedule());
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("blur", () => this.close());
    // mousedown would blur the input (and close the list) before the click lands.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = (event.target as Element).closest<HTMLElement>("[role=option]");
      if (option?.dataset.index) this.pick(Number(option.dataset.index));
    });
  }

  /** Sets the picked values (from the URL), without announcing a change. */
  set(selected: T[]): void {
    this.selected = selected;
    this.renderChips();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const text = this.o.input.value.trim();
    if (!text) {
      this.sequence++;
      this.announcer.textContent = "";
      this.close();
      return;
    }
    this.timer = setTimeout(() => void this.lookup(text), DEBOUNCE_MS);
  }

  private async lookup(text: string): Promise<void> {
    const sequence = ++this.sequence;
    let found: T[];
    try {
      found = await this.o.search(text);
    } catch {
      found = [];
    }
    // A later keystroke has asked again; its answer is the one to show.
    if (sequence !== this.sequence || document.activeElement !== this.o.input) return;
    const picked = new Set(this.selected.map((item) => item.slug));
    this.options = found.filter((item) => !picked.has(item.slug));
    this.active = this.options.length ? 0 : -1;
    this.renderOptions();
    this.announcer.textContent = this.options.length ? `${this.options.length} suggestions; arrow keys to choose, Enter to add.` : `No ${this.o.noun} matches "${text}".`;
  }

  private onKey(event: KeyboardEvent): void {
    const open = this.o.input.getAttribute("aria-expanded") === "true";
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open || !this.options.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.options.length) % this.options.length;
      this.renderOptions();
    } else if (event.key === "Enter") {
      // Enter in the box picks a match; it never submits the filter form half-typed.
      event.preventDefault();
      if (open && this.active >= 0) this.pick(this.active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close();
    }
  }

  private pick(index: number): void {
    const item = this.options[index];
    if (!item) return;
    this.selected = [...this.selected, item];
    this.o.input.value = "";
    this.close();
    this.renderChips();
    this.o.onChange(this.selected);
  }

  private remove(slug: string): void {
    this.selected = this.selected.filter((item) => item.slug !== slug);
    this.renderChips();
    this.o.input.focus();
    this.o.onChange(this.selected);
  }

  private close(): void {
    this.options = [];
    this.active = -1;
    this.renderOptions();
  }

  private renderOptions(): void {
    const { input, listbox } = this.o;
    const open = this.options.length > 0;
    listbox.replaceChildren(
      ...this.options.map((item, i) =>
        h(
          "li",
          { id: `${listbox.id}-${i}`, role: "option", "aria-selected": i === this.active ? "true" : "false", "data-index": i, "data-slug": item.slug, class: "option" },
          item.name,
          item.detail ? h("span", { class: "option__detail" }, ` ${item.detail}`) : null,
        ),
      ),
    );
    listbox.hidden = !this.options.length;
    input.setAttribute("aria-expanded", String(open));
    if (this.active >= 0) input.setAttribute("aria-activedescendant", `${listbox.id}-${this.active}`);
    else input.removeAttribute("aria-activedescendant");
    listbox.querySelector<HTMLElement>("[aria-selected=true]")?.scrollIntoView({ block: "nearest" });
  }

  private renderChips(): void {
    this.o.chips.replaceChildren(
      ...this.selected.map((item) => {
        const { text, remove } = this.o.chip?.(item) ?? { text: item.name, remove: `Remove ${this.o.noun} ${item.name}` };
        return h(
          "li",
          { class: "chip", "data-slug": item.slug },
          h("span", {}, text),
          h("button", { type: "button", class: "chip__remove", "aria-label": remove, onclick: () => this.remove(item.slug) }, "×"),
        );
      }),
    );
    this.o.chips.hidden = !this.selected.length;
  }
}
