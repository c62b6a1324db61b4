import type { Prisma } from "../generated/prisma/client";
import { differs } from "../common/differs";
import { badUserInput } from "../common/errors";
import { slugFor } from "../common/slug";
import { aliases, LIMITS, optionalText, requiredText } from "../common/validate";
import type { ParticipantInput } from "./participant.input";
import { participantColumns, participantSelect } from "./participant.columns";
import type { Participant } from "./participant.type";

type Tx = Prisma.TransactionClient;

/**
 * Creates or updates the participant with this slug inside a transaction. Fields left out keep
 * their stored value, so an article that names a participant without its aliases does not
 * erase the aliases another article gave. `country` must be a COUNTRY location.
 */
export async function upsertParticipant(
  tx: Tx,
  input: ParticipantInput,
  field: string,
): Promise<{ participant: Participant; change: "created" | "updated" | "unchanged" }> {
  const name = requiredText(input.name, `${field}.name`, LIMITS.name);
  const slug = slugFor(input.slug, name, `${field}.slug`);
  const data = {
    name,
    kind: input.kind,
    aliases: input.aliases == null ? undefined : aliases(input.aliases, `${field}.aliases`),
    description: input.description == null ? undefined : optionalText(input.description, `${field}.description`, LIMITS.description),
    countryId: input.country == null ? undefined : await countryIdOf(tx, input.country, `${field}.country`),
  };
  // Insert-or-nothing, then lock: concurrent upserts of one slug never collide on the unique index.
  const created = await tx.participant.createMany({ data: [{ slug, ...data, aliases: data.aliases ?? [] }], skipDuplicates: true });
  const [stored] = await tx.$queryRaw<Participant[]>`SELECT ${participantColumns("p")} FROM participants p WHERE p.slug = ${slug} FOR UPDATE`;
  if (created.count === 1) return { participant: stored, change: "created" };
  if (!differs(stored, data)) return { participant: stored, change: "unchanged" };
  const participant = await tx.participant.update({ where: { id: stored.id }, data, select: participantSelect });
  return { participant, change: "updated" };
}

async function countryIdOf(tx: Tx, slug: string, field: string): Promise<number> {
  const country = await tx.location.findUnique({ where: { slug }, select: { id: true, kind: true } });
  if (!country) throw badUserInput(`${field}: unknown location "${slug}"`, field);
  if (country.kind !== "COUNTRY") throw badUserInput(`${field}: "${slug}" is a ${country.kind}, not a COUNTRY`, field);
  return country.id;
}
