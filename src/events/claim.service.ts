import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { participantJson } from "../participants/participant.columns";
import { sourceJson } from "../sources/source.columns";
import type { Claim, ClaimJson } from "./claim";

const tollJson = (prefix: "deaths" | "injuries") =>
  Prisma.raw(`CASE WHEN c.${prefix}_qualifier IS NULL THEN NULL ELSE json_build_object('low', c.${prefix}_low, 'best', c.${prefix}_best,
    'high', c.${prefix}_high, 'qualifier', c.${prefix}_qualifier, 'text', c.${prefix}_text) END`);

/**
 * The claims of one event (`eventId`, a column or a parameter), in their order, as a JSON array
 * with each claimant and source inside; decode it with claimsFromJson. Read by the loader and the
 * exports.
 */
export function claimsOfEventJson(eventId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object(
             'claimant', CASE WHEN p.id IS NULL THEN NULL ELSE ${participantJson("p")} END,
             'statement', c.statement,
             'deaths', ${tollJson("deaths")},
             'injuries', ${tollJson("injuries")},
             'source', CASE WHEN s.id IS NULL THEN NULL ELSE ${sourceJson("s")} END
           ) ORDER BY c.position), '[]'::json)
    FROM event_claims c
    LEFT JOIN participants p ON p.id = c.claimant_id
    LEFT JOIN sources s ON s.id = c.source_id
    WHERE c.event_id = ${eventId})`;
}

export const claimsFromJson = (list: readonly ClaimJson[]): Claim[] =>
  list.map((claim) => ({ ...claim, source: claim.source && { ...claim.source, publishedAt: new Date(claim.source.publishedAt) } }));

export class ClaimService {
  constructor(private readonly prisma: DbClient) {}

  /** For each event id, its claims in order: one statement for any number of events. */
  async ofEvents(eventIds: readonly number[]): Promise<Map<number, Claim[]>> {
    const rows = await this.prisma.$queryRaw<Array<{ id: number; list: ClaimJson[] }>>`
      SELECT k.id, ${claimsOfEventJson(Prisma.sql`k.id`)} AS list FROM unnest(${[...eventIds]}::int[]) AS k(id)`;
    return new Map(rows.map((row) => [row.id, claimsFromJson(row.list)]));
  }
}
