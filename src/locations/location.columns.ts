import { Prisma } from "../generated/prisma/client";

// The one definition of a location's columns as the API's Location type names them, for every
// query that reads one: Prisma's select, raw SQL, and JSON built in SQL.

export const locationSelect = {
  id: true,
  slug: true,
  name: true,
  kind: true,
  aliases: true,
  countryCode: true,
  latitude: true,
  longitude: true,
  parentId: true,
} satisfies Prisma.LocationSelect;

/** The columns of a `locations` row named `alias`, for raw SQL. */
export function locationColumns(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`${t}.id, ${t}.slug, ${t}.name, ${t}.kind, ${t}.aliases, ${t}.country_code AS "countryCode",
    ${t}.latitude, ${t}.longitude, ${t}.parent_id AS "parentId"`;
}

/** A `locations` row named `alias` as a JSON object of the same fields (every value JSON-native). */
export function locationJson(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`json_build_object('id', ${t}.id, 'slug', ${t}.slug, 'name', ${t}.name, 'kind', ${t}.kind,
    'aliases', ${t}.aliases, 'countryCode', ${t}.country_code, 'latitude', ${t}.latitude, 'longitude', ${t}.longitude,
    'parentId', ${t}.parent_id)`;
}
