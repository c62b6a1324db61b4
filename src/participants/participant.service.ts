import { LRUCache } from "lru-cache";
import { Prisma } from "../generated/prisma/client";
import type { ParticipantKind, ParticipantRole } from "../generated/prisma/enums";
import type { DbClient } from "../db/database";
import { inWriteTransaction } from "../db/transactions";
import type { Page, PageArgs } from "../common/connection";
import { badUserInput } from "../common/errors";
import { searchByName, type Ranked } from "../common/name-search";
import { upsertParticipant } from "./participant-write";
import { participantColumns, participantJson, participantSelect } from "./participant.columns";
import type { ParticipantInput } from "./participant.input";
import type { Participant } from "./participant.type";

/** A stored participant as the drafter recognises it in an article's text. */
export interface KnownParticipant {
  slug: string;
  name: string;
  kind: ParticipantKind;
  aliases: string[];
}

export interface ParticipantOfEvent {
  role: ParticipantRole;
  participant: Participant;
}

/**
 * The participants of one event (`eventId`, a column or a parameter) as a JSON array of
 * ParticipantOfEvent, by role, then name: the one definition of that list, read by the loader
 * (ofEvents) and inside the timeline's page statement. Every value is JSON-native, so the array
 * is served as it comes.
 */
export function participantsOfEventJson(eventId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object('role', ep.role, 'participant', ${participantJson("t")})
           ORDER BY ep.role, t.name, t.id), '[]'::json)
    FROM event_participants ep JOIN participants t ON t.id = ep.participant_id
    WHERE ep.event_id = ${eventId})`;
}

export class ParticipantService {
  /** Slugs to ids, as read: bounded, since any name in a filter is looked up once. */
  private readonly knownIds = new LRUCache<string, number>({ max: 100_000 });

  constructor(private readonly prisma: DbClient) {}

  /** Participants stored under any of these names or aliases (lower case): what the drafter recognises. */
  named(names: readonly string[], groupPrefixes: readonly string[] = []): Promise<KnownParticipant[]> {
    if (!names.length) return Promise.resolve([]);
    return this.prisma.$queryRaw<KnownParticipant[]>`
      SELECT slug, name, kind::text AS kind, aliases FROM participants
      WHERE lower(name) = ANY(${names}::text[])
         OR EXISTS (SELECT 1 FROM unnest(aliases) AS alias WHERE lower(alias) = ANY(${names}::text[]))
         OR (kind = 'GROUP' AND lower(name) LIKE ANY(${groupPrefixes}::text[]))`;
  }

  /** Creates or updates a participant by slug (upsertParticipant mutation). */
  async upsert(input: ParticipantInput): Promise<Participant> {
    const { participant } = await inWriteTransaction(this.prisma, (tx) => upsertParticipant(tx, input, "input"));
    return participant;
  }

  bySlug(slug: string): Promise<Participant | null> {
    return this.prisma.participant.findUnique({ where: { slug }, select: participantSelect });
  }

  /**
   * Ids for slugs, in one statement at most; any unknown slug is BAD_USER_INPUT naming it. A
   * participant keeps its slug and its id for good (no write renames a slug or deletes a
   * participant), so ids once read are remembered: a filter by participant then costs no statement.
   */
  async idsBySlugs(slugs: readonly string[], field: string): Promise<number[]> {
    const missing = slugs.filter((slug) => !this.knownIds.has(slug));
    if (missing.length) {
      const found = await this.prisma.$queryRaw<Array<{ id: number; slug: string }>>`
        SELECT id, slug FROM participants WHERE slug = ANY(${missing}::text[])`;
      for (const row of found) this.knownIds.set(row.slug, row.id);
    }
    const unknown = slugs.filter((slug) => !this.knownIds.has(slug));
    if (unknown.length) {
      throw badUserInput(`${field}: unknown participant ${unknown.map((slug) => `"${slug}"`).join(", ")}`, field);
    }
    return [...new Set(slugs.map((slug) => this.knownIds.get(slug)!))];
  }

  search(search: string | null | undefined, kind: ParticipantKind | null | undefined, args: PageArgs): Promise<Page<Participant & Ranked>> {
    return searchByName<Participant>(
      this.prisma,
      { table: "participants", kindType: "ParticipantKind", columns: participantColumns("t") },
      search,
      kind,
      args,
    );
  }

  /** For each event id, its participants with their roles: by role, then name. */
  async ofEvents(eventIds: readonly number[]): Promise<Map<number, ParticipantOfEvent[]>> {
    // Plain SQL: Prisma's relation orderBy (participant.name) hash-joins every participant.
    const rows = await this.prisma.$queryRaw<Array<{ id: number; list: ParticipantOfEvent[] }>>`
      SELECT k.id, ${participantsOfEventJson(Prisma.sql`k.id`)} AS list FROM unnest(${[...eventIds]}::int[]) AS k(id)`;
    return new Map(rows.map((row) => [row.id, row.list]));
  }
}
