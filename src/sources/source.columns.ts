import { Prisma } from "../generated/prisma/client";
import { jsonInstant } from "../common/json-sql";
import type { Source } from "./source.type";

// The one definition of a source's columns as the API's Source type names them, for every query
// that reads one: Prisma's select, raw SQL, and JSON built in SQL.

export const sourceSelect = {
  id: true,
  url: true,
  title: true,
  publisher: true,
  author: true,
  publishedAt: true,
} satisfies Prisma.SourceSelect;

/** The columns of a `sources` row named `alias`, for raw SQL. */
export function sourceColumns(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`${t}.id, ${t}.url, ${t}.title, ${t}.publisher, ${t}.author, ${t}.published_at AS "publishedAt"`;
}

/** A `sources` row named `alias` as a JSON object of the same fields; read it back with sourcesFromJson. */
export function sourceJson(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`json_build_object('id', ${t}.id, 'url', ${t}.url, 'title', ${t}.title, 'publisher', ${t}.publisher,
    'author', ${t}.author, 'publishedAt', ${jsonInstant(Prisma.sql`${t}.published_at`)})`;
}

export type SourceJson = Omit<Source, "publishedAt"> & { publishedAt: number };

/** Turns publishedAt, read as JSON (jsonInstant), back into a Date. */
export const sourcesFromJson = (list: readonly SourceJson[]): Source[] => list.map((source) => ({ ...source, publishedAt: new Date(source.publishedAt) }));
