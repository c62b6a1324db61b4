import { badUserInput } from "./errors";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 100;

/** Derives a stable, lower-case, hyphenated ASCII slug from a name: "Jaish al-Adl" -> "jaish-al-adl". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, "");
}

/** The slug given, checked, or one derived from the name. */
export function slugFor(slug: string | null | undefined, name: string, field: string): string {
  const value = slug ?? slugify(name);
  if (!SLUG.test(value) || value.length > MAX_SLUG_LENGTH) {
    throw badUserInput(
      `${field}: "${value.slice(0, 40)}" is not a slug (lower-case ASCII letters and digits joined by single hyphens, at most ${MAX_SLUG_LENGTH})`,
      field,
    );
  }
  return value;
}
