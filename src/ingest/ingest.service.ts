import type { Prisma as PrismaClient } from "../db/database";
import type { Prisma } from "../generated/prisma/client";
import { badUserInput } from "../common/errors";
import { slugFor } from "../common/slug";
import { eventSelect, type EventRow } from "../events/event.service";
import { sourceSelect } from "../sources/source.service";
import type { Source } from "../sources/source.type";
import type { ArticleEventInput, ArticleInput } from "./article.input";
import type { LocationInput } from "../locations/location.input";
import type { ParticipantInput } from "../participants/participant.input";

type Tx = Prisma.TransactionClient;

export interface IngestResult {
  source: Source;
  events: EventRow[];
  /** Events created by this ingest. */
  created: number;
  /** Stored events this ingest changed; re-ingesting an unchanged article updates none. */
  updated: number;
}

/**
 * Writes an article and what it reports in one transaction: its places and participants (by
 * slug), the article itself (by url), its events (by key within the article) and their causal
 * links. Rows that would not change are left alone, so ingesting the same article twice is a no-op.
 */
export class IngestService {
  constructor(private readonly prisma: PrismaClient) {}

  ingest(article: ArticleInput): Promise<IngestResult> {
    return this.prisma.$transaction(async (tx) => {
      const locationIds = await upsertLocations(tx, article.locations ?? []);
      const participantIds = await upsertParticipants(tx, article.participants ?? [], locationIds);
      const source = await upsertSource(tx, article);

      const eventIds = new Map<string, number>();
      const changes = new Map<string, "created" | "updated" | "unchanged">();
      for (const event of article.events) {
        if (eventIds.has(event.key)) throw badUserInput(`event "${event.key}": the key is used twice`, "events.key");
        const outcome = await upsertEvent(tx, source.id, event, locationIds, participantIds);
        eventIds.set(event.key, outcome.id);
        changes.set(event.key, outcome.change);
      }
      for (const event of article.events) {
        const linksChanged = await linkCauses(tx, eventIds.get(event.key)!, event, eventIds);
        if (linksChanged && changes.get(event.key) === "unchanged") changes.set(event.key, "updated");
      }
      const counts = [...changes.values()];
      const created = counts.filter((change) => change === "created").length;
      const updated = counts.filter((change) => change === "updated").length;
      const events = await tx.event.findMany({
        where: { id: { in: [...eventIds.values()] } },
        select: eventSelect,
        orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      });
      return { source, events, created, updated };
    });
  }
}

async function upsertLocations(tx: Tx, inputs: readonly LocationInput[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // Parents may be listed after their children: write in passes until every parent is known.
  let pending = inputs.map((input, index) => ({ input, slug: slugFor(input.slug, input.name, `locations[${index}].slug`) }));
  while (pending.length) {
    const ready = pending.filter(({ input }) => !input.parent || ids.has(input.parent) || !pending.some((p) => p.slug === input.parent));
    if (!ready.length) throw badUserInput("locations: the parents form a cycle", "locations");
    for (const { input, slug } of ready) {
      const parentId = input.parent ? ids.get(input.parent) ?? (await existingLocationId(tx, input.parent)) : null;
      const data = {
        name: input.name,
        kind: input.kind,
        aliases: input.aliases ?? [],
        countryCode: input.countryCode ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        parentId,
      };
      const existing = await tx.location.findUnique({ where: { slug } });
      if (!existing) ids.set(slug, (await tx.location.create({ data: { slug, ...data }, select: { id: true } })).id);
      else {
        if (differs(existing, data)) await tx.location.update({ where: { id: existing.id }, data });
        ids.set(slug, existing.id);
      }
    }
    pending = pending.filter((p) => !ready.includes(p));
  }
  return ids;
}

async function existingLocationId(tx: Tx, slug: string): Promise<number> {
  const row = await tx.location.findUnique({ where: { slug }, select: { id: true } });
  if (!row) throw badUserInput(`unknown location "${slug}"`, "location");
  return row.id;
}

async function upsertParticipants(
  tx: Tx,
  inputs: readonly ParticipantInput[],
  locationIds: Map<string, number>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [index, input] of inputs.entries()) {
    const slug = slugFor(input.slug, input.name, `participants[${index}].slug`);
    const countryId = input.country ? locationIds.get(input.country) ?? (await existingLocationId(tx, input.country)) : null;
    const data = {
      name: input.name,
      kind: input.kind,
      aliases: input.aliases ?? [],
      description: input.description ?? null,
      countryId,
    };
    const existing = await tx.participant.findUnique({ where: { slug } });
    if (!existing) ids.set(slug, (await tx.participant.create({ data: { slug, ...data }, select: { id: true } })).id);
    else {
      if (differs(existing, data)) await tx.participant.update({ where: { id: existing.id }, data });
      ids.set(slug, existing.id);
    }
  }
  return ids;
}

async function upsertSource(tx: Tx, article: ArticleInput): Promise<Source> {
  const data = {
    title: article.title,
    publisher: article.publisher ?? null,
    author: article.author ?? null,
    publishedAt: article.publishedAt,
    body: article.body ?? null,
  };
  const existing = await tx.source.findUnique({ where: { url: article.url } });
  if (!existing) return tx.source.create({ data: { url: article.url, ...data }, select: sourceSelect });
  if (!differs(existing, data)) return existing;
  return tx.source.update({ where: { id: existing.id }, data, select: sourceSelect });
}

async function upsertEvent(
  tx: Tx,
  sourceId: number,
  input: ArticleEventInput,
  locationIds: Map<string, number>,
  participantIds: Map<string, number>,
): Promise<{ id: number; change: "created" | "updated" | "unchanged" }> {
  const locationId = input.location ? locationIds.get(input.location) ?? (await existingLocationId(tx, input.location)) : null;
  const participants = [];
  for (const { participant, role } of input.participants ?? []) {
    const participantId = participantIds.get(participant) ?? (await existingParticipantId(tx, participant, input.key));
    participants.push({ participantId, role });
  }
  const data = {
    title: input.title,
    summary: input.summary ?? null,
    occurredAt: input.date.start,
    endsAt: input.date.end,
    precision: input.date.precision,
    category: input.category,
    status: input.status ?? "OCCURRED",
    fatalities: input.fatalities ?? null,
    injured: input.injured ?? null,
    locationId,
  };
  const link = await tx.eventSource.findUnique({
    where: { sourceId_key: { sourceId, key: input.key } },
    select: { event: { include: { participants: { select: { participantId: true, role: true } } } } },
  });
  if (!link) {
    const event = await tx.event.create({
      data: { ...data, participants: { create: participants }, sources: { create: { sourceId, key: input.key } } },
      select: { id: true },
    });
    return { id: event.id, change: "created" };
  }
  const { participants: storedParticipants, ...stored } = link.event;
  const participantsChanged = !sameSet(storedParticipants, participants);
  if (!differs(stored, data) && !participantsChanged) return { id: stored.id, change: "unchanged" };
  await tx.event.update({
    where: { id: stored.id },
    data: {
      ...data,
      ...(participantsChanged ? { participants: { deleteMany: {}, create: participants } } : {}),
    },
  });
  return { id: stored.id, change: "updated" };
}

async function existingParticipantId(tx: Tx, slug: string, eventKey: string): Promise<number> {
  const row = await tx.participant.findUnique({ where: { slug }, select: { id: true } });
  if (!row) throw badUserInput(`event "${eventKey}": unknown participant "${slug}"`, "events.participants");
  return row.id;
}

/** Replaces an event's causes with those the article names; returns whether anything changed. */
async function linkCauses(tx: Tx, effectId: number, input: ArticleEventInput, eventIds: Map<string, number>): Promise<boolean> {
  const causeIds = new Set<number>();
  for (const cause of input.causes ?? []) {
    const id = eventIds.get(cause) ?? (/^\d+$/.test(cause) ? Number(cause) : undefined);
    if (id === undefined) throw badUserInput(`event "${input.key}": cause "${cause}" is neither a key of this article nor an event id`, "events.causes");
    if (id === effectId) throw badUserInput(`event "${input.key}": an event cannot cause itself`, "events.causes");
    causeIds.add(id);
  }
  const stored = await tx.eventLink.findMany({ where: { effectId }, select: { causeId: true } });
  if (sameSet(stored.map((l) => ({ causeId: l.causeId })), [...causeIds].map((causeId) => ({ causeId })))) return false;
  const known = await tx.event.count({ where: { id: { in: [...causeIds] } } });
  if (known !== causeIds.size) throw badUserInput(`event "${input.key}": a cause names an event that does not exist`, "events.causes");
  await tx.eventLink.deleteMany({ where: { effectId } });
  await tx.eventLink.createMany({ data: [...causeIds].map((causeId) => ({ causeId, effectId })) });
  return true;
}

/** Whether writing `data` over `row` would change any of its fields. */
function differs(row: Record<string, unknown>, data: Record<string, unknown>): boolean {
  return Object.entries(data).some(([key, value]) => !sameValue(row[key], value));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
  return a === b;
}

function sameSet(a: readonly object[], b: readonly object[]): boolean {
  const key = (row: object) => JSON.stringify(Object.entries(row).sort());
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return left.size === right.size && [...left].every((value) => right.has(value));
}
