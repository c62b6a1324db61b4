import { columnSet } from "../common/columns";
import type { Source } from "./source.type";

/** A source's columns as the API's Source type names them, for every query that reads one. */
export const SOURCE = columnSet(
  { id: "id", url: "url", title: "title", publisher: "publisher", author: "author", publishedAt: "published_at" },
  ["publishedAt"],
);

export const sourceSelect = SOURCE.select;
export const sourceColumns = SOURCE.sql;
/** A `sources` row named `alias` as a JSON object; read it back with sourcesFromJson. */
export const sourceJson = SOURCE.json;

export type SourceJson = Omit<Source, "publishedAt"> & { publishedAt: number };

/** Turns publishedAt, read as JSON (jsonInstant), back into a Date. */
export const sourcesFromJson = (list: readonly SourceJson[]): Source[] => list.map((source) => ({ ...source, publishedAt: new Date(source.publishedAt) }));
