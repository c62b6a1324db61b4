import type { Prisma } from "../generated/prisma/client";
import type { ParticipantRole, TollQualifier } from "../generated/prisma/enums";
import { differs } from "../common/differs";
import { badUserInput } from "../common/errors";
import { httpUrl, LIMITS, boundedInput } from "../common/validate";
import type { CheckedClaim } from "./claim";
import type { StoredToll } from "./toll";

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

/**
 * Sets an event's claims to exactly these, in order. Claimants are participant slugs (`known`
 * holds those an article upserts), sources stored articles' URLs; a claim with no source cites
 * `defaultSourceId` (in an ingest, the article). Stored claims equal to these are left as they
 * are, so re-ingesting an article writes nothing. Returns whether they changed.
 */
export async function replaceClaims(
  tx: Tx,
  eventId: number,
  claims: readonly CheckedClaim[],
  field: string,
  { known = new Map(), defaultSourceId = null }: { known?: ReadonlyMap<string, number>; defaultSourceId?: number | null } = {},
): Promise<boolean> {
  const slugs = [...new Set(claims.flatMap((claim) => (claim.claimant !== null && !known.has(claim.claimant) ? [claim.claimant] : [])))];
  const urls = [...new Set(claims.flatMap((claim) => (claim.sourceUrl === null ? [] : [claim.sourceUrl])))];
  // One after another: a transaction's statements share its one connection.
  const participants = slugs.length ? await tx.participant.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } }) : [];
  const sources = urls.length ? await tx.source.findMany({ where: { url: { in: urls } }, select: { id: true, url: true } }) : [];
  const stored = await tx.eventClaim.findMany({ where: { eventId }, orderBy: { position: "asc" }, omit: { id: true } });
  const claimantIds = new Map([...known, ...participants.map((row) => [row.slug, row.id] as const)]);
  const sourceIds = new Map(sources.map((row) => [row.url, row.id]));
  const rows = claims.map((claim, position) => {
    const at = `${field}[${position}]`;
    if (claim.claimant !== null && !claimantIds.has(claim.claimant)) throw badUserInput(`${at}.claimant: unknown participant "${claim.claimant}"`, `${at}.claimant`);
    if (claim.sourceUrl !== null && !sourceIds.has(claim.sourceUrl)) {
      throw badUserInput(`${at}.sourceUrl: no stored article at "${claim.sourceUrl}"; ingest it first`, `${at}.sourceUrl`);
    }
    return {
      eventId,
      position,
      claimantId: claim.claimant === null ? null : claimantIds.get(claim.claimant)!,
      statement: claim.statement,
      ...claimDeathColumns(claim.deaths),
      ...claimInjuryColumns(claim.injuries),
      sourceId: claim.sourceUrl === null ? defaultSourceId : sourceIds.get(claim.sourceUrl)!,
    };
  });
  if (rows.length === stored.length && rows.every((row, index) => !differs(stored[index], row))) return false;
  await tx.eventClaim.deleteMany({ where: { eventId } });
  if (rows.length) await tx.eventClaim.createMany({ data: rows });
  return true;
}

function claimDeathColumns(toll: StoredToll | null) {
  return { deathsBest: toll?.best ?? null, deathsLow: toll?.low ?? null, deathsHigh: toll?.high ?? null, deathsQualifier: toll?.qualifier ?? null, deathsText: toll?.text ?? null };
}

function claimInjuryColumns(toll: StoredToll | null) {
  return {
    injuriesBest: toll?.best ?? null,
    injuriesLow: toll?.low ?? null,
    injuriesHigh: toll?.high ?? null,
    injuriesQualifier: toll?.qualifier ?? null,
    injuriesText: toll?.text ?? null,
  };
}

/** The figures of an event's stored claims, in order: what its toll is derived from. */
export async function storedClaimTolls(tx: Tx, eventId: number): Promise<Array<Pick<CheckedClaim, "deaths" | "injuries">>> {
  const rows = await tx.eventClaim.findMany({ where: { eventId }, orderBy: { position: "asc" } });
  const toll = (best: number | null, low: number | null, high: number | null, qualifier: TollQualifier | null, text: string | null): StoredToll | null =>
    best === null || qualifier === null ? null : { best, low, high, qualifier, text };
  return rows.map((row) => ({
    deaths: toll(row.deathsBest, row.deathsLow, row.deathsHigh, row.deathsQualifier, row.deathsText),
    injuries: toll(row.injuriesBest, row.injuriesLow, row.injuriesHigh, row.injuriesQualifier, row.injuriesText),
  }));
}
