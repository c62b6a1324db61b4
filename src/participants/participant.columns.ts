import { Prisma } from "../generated/prisma/client";

// The one definition of a participant's columns as the API's Participant type names them, for
// every query that reads one: Prisma's select, raw SQL, and JSON built in SQL.

export const participantSelect = {
  id: true,
  slug: true,
  name: true,
  kind: true,
  aliases: true,
  description: true,
  countryId: true,
} satisfies Prisma.ParticipantSelect;

/** The columns of a `participants` row named `alias`, for raw SQL. */
export function participantColumns(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`${t}.id, ${t}.slug, ${t}.name, ${t}.kind, ${t}.aliases, ${t}.description, ${t}.country_id AS "countryId"`;
}

/** A `participants` row named `alias` as a JSON object of the same fields (every value JSON-native). */
export function participantJson(alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`json_build_object('id', ${t}.id, 'slug', ${t}.slug, 'name', ${t}.name, 'kind', ${t}.kind,
    'aliases', ${t}.aliases, 'description', ${t}.description, 'countryId', ${t}.country_id)`;
}
