import type { Prisma } from "../generated/prisma/client";
import type { LocationKind } from "../generated/prisma/enums";
import { differs } from "../common/differs";
import { badUserInput } from "../common/errors";
import { slugFor } from "../common/slug";
import { aliases, coordinate, LIMITS, requiredText } from "../common/validate";
import type { LocationInput } from "./location.input";
import { locationColumns, locationSelect } from "./location.columns";
import type { Location } from "./location.type";

type Tx = Prisma.TransactionClient;

// Country > region > city > site: a place may sit in one of its own rank or above, never below.
const RANK: Record<LocationKind, number> = { COUNTRY: 0, REGION: 1, CITY: 2, SITE: 3 };

/**
 * Creates or updates the location with this slug inside a transaction. Fields left out keep
 * their stored value. Refuses an unknown parent, a parent of lower rank, and a parent that
 * would make the hierarchy a cycle.
 */
export async function upsertLocation(
  tx: Tx,
  input: LocationInput,
  field: string,
): Promise<{ location: Location; change: "created" | "updated" | "unchanged" }> {
  const name = requiredText(input.name, `${field}.name`, LIMITS.name);
  const slug = slugFor(input.slug, name, `${field}.slug`);
  const countryCode = input.countryCode == null ? input.countryCode : input.countryCode.trim().toUpperCase();
  if (countryCode != null && !/^[A-Z]{2}$/.test(countryCode)) {
    throw badUserInput(`${field}.countryCode must be an ISO 3166-1 alpha-2 code such as "PK"`, `${field}.countryCode`);
  }
  const data = {
    name,
    kind: input.kind,
    aliases: input.aliases == null ? undefined : aliases(input.aliases, `${field}.aliases`),
    countryCode: countryCode ?? undefined,
    latitude: coordinate(input.latitude, `${field}.latitude`, 90) ?? undefined,
    longitude: coordinate(input.longitude, `${field}.longitude`, 180) ?? undefined,
  };

  // Insert-or-nothing, then lock: concurrent upserts of one slug never collide on the unique index.
  const created = await tx.location.createMany({ data: [{ slug, ...data, aliases: data.aliases ?? [] }], skipDuplicates: true });
  const [stored] = await tx.$queryRaw<Location[]>`SELECT ${locationColumns("l")} FROM locations l WHERE l.slug = ${slug} FOR UPDATE`;

  const parentId = input.parent == null ? undefined : await parentIdFor(tx, stored, input, field);
  if (input.parent == null && stored.parentId != null) {
    // The parent it keeps must still outrank (or equal) the kind it now takes.
    const kept = await tx.location.findUniqueOrThrow({ where: { id: stored.parentId }, select: { slug: true, kind: true } });
    if (RANK[kept.kind] > RANK[input.kind]) {
      throw badUserInput(`${field}.kind: it lies within "${kept.slug}" (${kept.kind}), so it cannot be a ${input.kind}`, `${field}.kind`);
    }
  }
  const children = await tx.location.findMany({ where: { parentId: stored.id }, select: { slug: true, kind: true } });
  const outranked = children.find((child) => RANK[child.kind] < RANK[input.kind]);
  if (outranked) {
    throw badUserInput(`${field}.kind: "${outranked.slug}" (${outranked.kind}) lies within it, so it cannot be a ${input.kind}`, `${field}.kind`);
  }
  const changes = { ...data, parentId };
  if (created.count === 0 && !differs(stored, changes)) return { location: stored, change: "unchanged" };
  if (created.count === 1 && parentId === undefined) return { location: stored, change: "created" };
  const location = await tx.location.update({ where: { id: stored.id }, data: changes, select: locationSelect });
  return { location, change: created.count === 1 ? "created" : "updated" };
}

async function parentIdFor(
  tx: Tx,
  location: Location,
  input: LocationInput,
  field: string,
): Promise<number> {
  const parent = await tx.location.findUnique({ where: { slug: input.parent! }, select: { id: true, kind: true } });
  if (!parent) throw badUserInput(`${field}.parent: unknown location "${input.parent}"`, `${field}.parent`);
  if (RANK[parent.kind] > RANK[input.kind]) {
    throw badUserInput(`${field}.parent: a ${input.kind} cannot lie within a ${parent.kind}`, `${field}.parent`);
  }
  const [cycle] = await tx.$queryRaw<Array<{ id: number }>>`
    WITH RECURSIVE subtree(id) AS (
      SELECT ${location.id}::int
      UNION
      SELECT l.id FROM locations l JOIN subtree s ON l.parent_id = s.id
    )
    SELECT id FROM subtree WHERE id = ${parent.id}::int`;
  if (cycle) throw badUserInput(`${field}.parent: "${input.parent}" lies within "${location.slug}"; that would make a cycle`, `${field}.parent`);
  return parent.id;
}
