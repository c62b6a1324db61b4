import { Prisma } from "../generated/prisma/client";
import { jsonInstant } from "./json-sql";

/**
 * A table's columns as the API names them (`{ countryCode: "country_code", ... }`): the one list
 * that Prisma's select, raw SQL and JSON built in SQL are all derived from. Timestamps named in
 * `instants` travel in JSON as epoch milliseconds (jsonInstant).
 */
export function columnSet<const T extends Record<string, string>>(columns: T, instants: ReadonlyArray<keyof T & string> = []) {
  const entries = Object.entries(columns);
  const pick = (fields?: readonly string[]) => (fields ? entries.filter(([field]) => fields.includes(field)) : entries);
  return {
    /** For Prisma's `select`: every column, by its API name. */
    select: Object.fromEntries(entries.map(([field]) => [field, true])) as { [K in keyof T]: true },
    /** The columns of a row named `alias` (all, or those of `fields`), for raw SQL, named as the API names them. */
    sql(alias: string, fields?: ReadonlyArray<keyof T & string>): Prisma.Sql {
      return Prisma.raw(pick(fields).map(([field, column]) => `${alias}.${column} AS "${field}"`).join(", "));
    },
    /** A row named `alias` as a JSON object of the same fields (all, or those of `fields`). */
    json(alias: string, fields?: ReadonlyArray<keyof T & string>): Prisma.Sql {
      const pairs = pick(fields).map(([field, column]) => {
        const value = Prisma.raw(`${alias}.${column}`);
        return Prisma.sql`${Prisma.raw(`'${field}'`)}, ${instants.includes(field) ? jsonInstant(value) : value}`;
      });
      return Prisma.sql`json_build_object(${Prisma.join(pairs, ", ")})`;
    },
  };
}
