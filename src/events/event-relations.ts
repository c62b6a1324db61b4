import type { Prisma } from "../generated/prisma/client";
import type { ParticipantRole } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import { httpUrl, LIMITS, boundedInput } from "../common/validate";

type Tx = Prisma.TransactionClient;

/** Writes an event's relations inside a write's transaction; every unknown reference is BAD_USER_INPUT naming it. */

export async function locationIdOf(tx: Tx, slug: string | null | undefined, field: string): Promise<number | null> {
  if (slug == null) return null;
  const row = await tx.location.findUnique({ where: { slug }, select: { id: true } });
  if (!row) throw badUserInput(`${field}: unknown location "${slug}"`, field);
  return row.id;
}

export interface RoleInput {
  participant: string;
  role: ParticipantRole;
}

/** Resolves participant slugs (one statement), dropping repeated (participant, role) pairs. */
export async function participantRoles(
  tx: Tx,
  inputs: readonly RoleInput[],
  field: string,
  known: ReadonlyMap<string, number> = new Map(),
): Promise<Array<{ participantId: number; role: ParticipantRole }>> {
  boundedInput(inputs, field, LIMITS.participants);
  const missing = [...new Set(inputs.map((input) => input.participant).filter((slug) => !known.has(slug)))];
  const rows = missing.length
    ? await tx.participant.findMany({ where: { slug: { in: missing } }, select: { id: true, slug: true } })
    : [];
  const ids = new Map([...known, ...rows.map((row) => [row.slug, row.id] as const)]);
  const unknown = missing.filter((slug) => !ids.has(slug));
  if (unknown.length) throw badUserInput(`${field}: unknown participant ${unknown.map((s) => `"${s}"`).join(", ")}`, field);
  const pairs = new Map(inputs.map(({ participant, role }) => [`${participant}\u0000${role}`, { participantId: ids.get(participant)!, role }]));
  return [...pairs.values()];
}

export async function replaceParticipants(
  tx: Tx,
  eventId: number,
  roles: ReadonlyArray<{ participantId: number; role: ParticipantRole }>,
): Promise<void> {
  await tx.eventParticipant.deleteMany({ where: { eventId } });
  if (roles.length) await tx.eventParticipant.createMany({ data: roles.map((role) => ({ eventId, ...role })) });
}

/**
 * Sets the articles an event cites to exactly these URLs, which must be stored sources
 * (ingest an article to store it). Links that stay keep their ingest key, so re-ingesting
 * the article still finds the event.
 */
export async function replaceSources(tx: Tx, eventId: number, urls: readonly string[], field: string): Promise<void> {
  boundedInput(urls, field, LIMITS.sources);
  const normalised = [...new Set(urls.map((url, index) => httpUrl(url, `${field}[${index}]`)))];
  const sources = await tx.source.findMany({ where: { url: { in: normalised } }, select: { id: true, url: true } });
  const unknown = normalised.filter((url) => !sources.some((source) => source.url === url));
  if (unknown.length) {
    throw badUserInput(`${field}: no stored article at ${unknown.map((u) => `"${u}"`).join(", ")}; ingest it first`, field);
  }
  const ids = sources.map((source) => source.id);
  await tx.eventSource.deleteMany({ where: { eventId, sourceId: { notIn: ids } } });
  await tx.eventSource.createMany({ data: ids.map((sourceId) => ({ eventId, sourceId })), skipDuplicates: true });
}

/**
 * Sets the events this one responded to. Refuses unknown ids, the event itself, and any
 * cause that already lies downstream of it: causal links never form a cycle.
 */
export async function replaceCauses(tx: Tx, effectId: number, causeIds: readonly number[], field: string): Promise<boolean> {
  boundedInput(causeIds, field, LIMITS.causes);
  const wanted = [...new Set(causeIds)];
  if (wanted.includes(effectId)) throw badUserInput(`${field}: an event cannot cause itself`, field);
  const stored = await tx.eventLink.findMany({ where: { effectId }, select: { causeId: true } });
  const current = new Set(stored.map((link) => link.causeId));
  if (current.size === wanted.length && wanted.every((id) => current.has(id))) return false;
  if (wanted.length) {
    const found = await tx.event.findMany({ where: { id: { in: wanted } }, select: { id: true } });
    const unknown = wanted.filter((id) => !found.some((row) => row.id === id));
    if (unknown.length) throw badUserInput(`${field}: no event with id ${unknown.join(", ")}`, field);
    const downstream = await tx.$queryRaw<Array<{ id: number }>>`
      WITH RECURSIVE downstream(id) AS (
        SELECT effect_id FROM event_links WHERE cause_id = ${effectId}::int
        UNION
        SELECT l.effect_id FROM event_links l JOIN downstream d ON l.cause_id = d.id
      )
      SELECT id FROM downstream WHERE id = ANY(${wanted}::int[]) LIMIT 1`;
    if (downstream.length) {
      throw badUserInput(`${field}: event ${downstream[0].id} already follows from this one; a cause cannot also be a consequence`, field);
    }
  }
  await tx.eventLink.deleteMany({ where: { effectId } });
  if (wanted.length) await tx.eventLink.createMany({ data: wanted.map((causeId) => ({ causeId, effectId })) });
  return true;
}
