import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { pageWindow, toPage, type Page, type PageArgs } from "./connection";
import { encodeCursor } from "./cursor";
import { searchTerm } from "./validate";

const MAX_TERM_LENGTH = 100;

/** A table with slug, name and aliases that `participants`/`locations` search by name. */
export interface NamedTable {
  /** Table name (trusted, never from a client). */
  table: "participants" | "locations";
  /** The Postgres enum type of its `kind` column. */
  kindType: "ParticipantKind" | "LocationKind";
  /** Its columns as the API type expects them. */
  columns: Prisma.Sql;
}

/** A row with the keys it is ordered by. */
export interface Ranked {
  rank: number;
  sortName: string;
  id: number;
}

/**
 * Name-or-alias search, best match first: exact name, alias or slug; then a name or alias that
 * starts with the term; then one that contains it; then a fuzzy (trigram) match for typos.
 * Within a rank, alphabetical. Keyset-paged on (rank, lower(name), id); without a term, all rows
 * alphabetically. Matching goes through the trigram index on timeline_search_names(name, aliases).
 */
export async function searchByName<TRow extends { id: number }>(
  prisma: DbClient,
  spec: NamedTable,
  search: string | null | undefined,
  kind: string | null | undefined,
  args: PageArgs,
): Promise<Page<TRow & Ranked>> {
  const window = pageWindow(args, "isi");
  const term = searchTerm(search, "search", MAX_TERM_LENGTH)?.toLowerCase() ?? "";
  const table = Prisma.raw(spec.table);
  const names = Prisma.sql`timeline_search_names(t.name, t.aliases)`;
  const contains = `%${escapeLike(term)}%`;
  const startsWith = `${escapeLike(term)}%`;
  const rank = term
    ? Prisma.sql`CASE
        WHEN lower(t.name) = ${term} OR t.slug = ${term} OR EXISTS (SELECT 1 FROM unnest(t.aliases) a WHERE lower(a) = ${term}) THEN 0
        WHEN lower(t.name) LIKE ${startsWith} OR EXISTS (SELECT 1 FROM unnest(t.aliases) a WHERE lower(a) LIKE ${startsWith}) THEN 1
        WHEN ${names} LIKE ${contains} THEN 2
        ELSE 3 END`
    : Prisma.sql`0`;
  const conditions: Prisma.Sql[] = [];
  if (term) conditions.push(Prisma.sql`(${names} LIKE ${contains} OR ${term} <% ${names})`);
  if (kind) conditions.push(Prisma.sql`t.kind = ${kind}::${Prisma.raw(`"${spec.kindType}"`)}`);
  const where = conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
  const matches = Prisma.sql`SELECT ${spec.columns}, ${rank} AS rank, lower(t.name) AS "sortName" FROM ${table} t WHERE ${where}`;

  const ahead = window.key
    ? Prisma.sql`WHERE (m.rank, m."sortName", m.id) ${window.backward ? Prisma.sql`<` : Prisma.sql`>`}
        (${window.key[0] as number}::int, ${window.key[1] as string}::text, ${window.key[2] as number}::int)`
    : Prisma.empty;
  const direction = window.backward ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await prisma.$queryRaw<Array<TRow & Ranked>>`
    SELECT * FROM (${matches}) m ${ahead}
    ORDER BY m.rank ${direction}, m."sortName" ${direction}, m.id ${direction}
    LIMIT ${window.size + 1}`;

  return toPage(
    rows,
    window,
    (row) => encodeCursor([row.rank, row.sortName, row.id]),
    async () => {
      const [{ count }] = await prisma.$queryRaw<[{ count: number }]>`
        SELECT count(*)::int AS count FROM ${table} t WHERE ${where}`;
      return count;
    },
    async () => {
      const behind = window.backward ? Prisma.sql`>=` : Prisma.sql`<=`;
      const [{ exists }] = await prisma.$queryRaw<[{ exists: boolean }]>`
        SELECT EXISTS (SELECT 1 FROM (${matches}) m WHERE (m.rank, m."sortName", m.id) ${behind}
          (${window.key![0] as number}::int, ${window.key![1] as string}::text, ${window.key![2] as number}::int)) AS "exists"`;
      return exists;
    },
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
