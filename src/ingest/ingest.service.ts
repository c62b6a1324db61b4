import type { DbClient } from "../db/database";
import { INGEST_TRANSACTION, inWriteTransaction } from "../db/transactions";
import type { Prisma } from "../generated/prisma/client";
import { differs } from "../common/differs";
import { badUserInput } from "../common/errors";
import { parseId } from "../common/ids";
import { boundedInput, httpUrl, LIMITS, optionalText, requiredText } from "../common/validate";
import { checkEventDate, type DateRules } from "../events/event-dates";
import { checkClaims, type CheckedClaim } from "../events/claim";
import { eventFields, periodWindow, type EventFields } from "../events/event-fields";
import { locationIdOf, participantRoles, replaceCauses, replaceClaims, replaceParticipants } from "../events/event-relations";
import { eventSelect, type EventRow } from "../events/event.columns";
import { causalNeighbours, recomputeWindows } from "../events/event-windows";
import { ChangeRecorder } from "../changes/change-log";
import type { ChangeNotifier } from "../events/change-notifier";
import { upsertLocation } from "../locations/location-write";
import type { LocationInput } from "../locations/location.input";
import { upsertParticipant } from "../participants/participant-write";
import { sourceColumns, sourceSelect } from "../sources/source.columns";
import type { Source } from "../sources/source.type";
import type { ArticleEventInput, ArticleInput } from "./article.input";

type Tx = Prisma.TransactionClient;
type Change = "created" | "updated" | "unchanged";

export interface IngestResult {
  source: Source;
  events: EventRow[];
  /** Events created by this ingest. */
  created: number;
  /** Stored events this ingest changed; re-ingesting an unchanged article updates none. */
  updated: number;
  /** Events an earlier ingestion drew from the article and this one no longer reports (retractMissing). */
  retracted: number;
}

/**
 * Writes an article and what it reports in one transaction: its places and participants (by
 * slug), the article itself (by url), its events (by key within the article) and their causal
 * links. Rows that would not change are left alone, so ingesting the same article twice is a
 * no-op; any bad part refuses the whole article and writes nothing.
 */
export class IngestService {
  constructor(
    private readonly prisma: DbClient,
    private readonly dates: DateRules,
    private readonly changes?: ChangeNotifier,
  ) {}

  async ingest(input: ArticleInput): Promise<IngestResult> {
    // Keys name events across ingests of the article: compare and store them trimmed.
    const article = {
      ...input,
      events: input.events.map((event) => ({ ...event, key: event.key.trim(), causes: event.causes?.map((cause) => cause.trim()) })),
    };
    const checked = checkArticle(article, this.dates);
    const result = await inWriteTransaction(this.prisma, async (tx) => {
      for (const [index, location] of parentsFirst(article.locations ?? [])) {
        await upsertLocation(tx, location, `locations[${index}]`);
      }
      const participantIds = new Map<string, number>();
      for (const [index, input] of (article.participants ?? []).entries()) {
        const { participant } = await upsertParticipant(tx, input, `participants[${index}]`);
        participantIds.set(participant.slug, participant.id);
      }
      const source = await upsertSource(tx, checked.source);
      // What this article's events were before it is written again: the change log's "before".
      const log = new ChangeRecorder();
      const drawn = await tx.eventSource.findMany({ where: { sourceId: source.id, key: { not: null } }, select: { eventId: true, key: true } });
      await log.capture(tx, drawn.map((link) => link.eventId));

      const eventIds = new Map<string, number>();
      const changes = new Map<string, Change>();
      for (const [index, event] of article.events.entries()) {
        const field = `events[${index}] ("${event.key}")`;
        const outcome = await upsertEvent(tx, source.id, event, checked.events[index], field, participantIds);
        eventIds.set(event.key, outcome.id);
        changes.set(event.key, outcome.change);
      }
      const keys = new Set(article.events.map((event) => event.key));
      const missing = input.retractMissing ? drawn.filter((link) => !keys.has(link.key!)).map((link) => link.eventId) : [];
      const freed = missing.length ? await retract(tx, source.id, missing) : [];
      // Windows to recompute: the article's events, the causes they may leave, every event
      // citing the article (its publication bounds them) and those it stopped supporting.
      const seeds = [...eventIds.values(), ...(await causalNeighbours(tx, [...eventIds.values()])), ...missing, ...freed];
      for (const [index, event] of article.events.entries()) {
        const field = `events[${index}] ("${event.key}").causes`;
        const causeIds = (event.causes ?? []).map((cause, i) => eventIds.get(cause) ?? parseCause(cause, event.key, `${field}[${i}]`));
        const linksChanged = await replaceCauses(tx, eventIds.get(event.key)!, causeIds, field);
        if (linksChanged && changes.get(event.key) === "unchanged") changes.set(event.key, "updated");
      }
      const citing = await tx.eventSource.findMany({ where: { sourceId: source.id }, select: { eventId: true } });
      log.markCreated(article.events.filter((event) => changes.get(event.key) === "created").map((event) => eventIds.get(event.key)!));
      const moved = await recomputeWindows(tx, [...seeds, ...citing.map((link) => link.eventId)], log);
      await log.record(tx, eventIds.values(), { sourceId: source.id });
      const movedIds = new Set(moved);
      for (const [key, id] of eventIds) if (movedIds.has(id) && changes.get(key) === "unchanged") changes.set(key, "updated");
      const events = await tx.event.findMany({
        where: { id: { in: [...eventIds.values()] } },
        select: eventSelect,
        orderBy: [{ earliest: "asc" }, { causalDepth: "asc" }, { id: "asc" }],
      });
      const ownIds = new Set(eventIds.values());
      const changed = [
        ...article.events.filter((event) => changes.get(event.key) !== "unchanged").map((event) => eventIds.get(event.key)!),
        ...moved.filter((id) => !ownIds.has(id)),
      ];
      const count = (change: Change) => [...changes.values()].filter((value) => value === change).length;
      return { source, events, created: count("created"), updated: count("updated"), retracted: missing.length, changed: [...changed, ...missing] };
    }, INGEST_TRANSACTION);
    if (result.changed.length) await this.changes?.eventsChanged(result.changed);
    const { changed: _changed, ...ingested } = result;
    return ingested;
  }
}

/**
 * The article stops supporting events it no longer reports: its links to them go, and those left
 * with no source are deleted. Returns the events whose windows the deleted ones bounded.
 */
async function retract(tx: Tx, sourceId: number, eventIds: readonly number[]): Promise<number[]> {
  await tx.eventSource.deleteMany({ where: { sourceId, eventId: { in: [...eventIds] } } });
  const supported = await tx.eventSource.findMany({ where: { eventId: { in: [...eventIds] } }, select: { eventId: true }, distinct: ["eventId"] });
  const orphaned = eventIds.filter((id) => !supported.some((link) => link.eventId === id));
  if (!orphaned.length) return [];
  const neighbours = await causalNeighbours(tx, orphaned);
  await tx.event.deleteMany({ where: { id: { in: orphaned } } });
  return neighbours.filter((id) => !orphaned.includes(id));
}

/** Everything that can be checked without the database, before a transaction is opened. */
function checkArticle(article: ArticleInput, dates: DateRules) {
  boundedInput(article.events, "events", LIMITS.articleEvents);
  const keys = new Set<string>();
  const events = article.events.map((event, index) => {
    const key = requiredText(event.key, `events[${index}].key`, LIMITS.key);
    if (keys.has(key)) throw badUserInput(`events[${index}]: the key "${key}" is used twice in this article`, "events.key");
    keys.add(key);
    const claims = checkClaims(event.claims ?? [], `events[${index}] ("${key}").claims`);
    const columns = eventFields(event, `events[${index}] ("${key}")`, claims);
    checkEventDate(columns, dates, `events[${index}] ("${key}").date`);
    return { columns, claims };
  });
  const source = {
    url: httpUrl(article.url, "url"),
    title: requiredText(article.title, "title", LIMITS.title),
    publisher: optionalText(article.publisher, "publisher", LIMITS.name),
    author: optionalText(article.author, "author", LIMITS.name),
    publishedAt: article.publishedAt,
    body: optionalText(article.body, "body", LIMITS.body),
  };
  return { events, source };
}

/** Locations in an order where each comes after its parent, when both are in the article. */
function parentsFirst(locations: readonly LocationInput[]): Array<[number, LocationInput]> {
  const ordered: Array<[number, LocationInput]> = [];
  const placed = new Set<string>();
  let pending = [...locations.entries()];
  while (pending.length) {
    const inBatch = (slug: string) => pending.some(([, location]) => (location.slug ?? null) === slug);
    const ready = pending.filter(([, location]) => !location.parent || placed.has(location.parent) || !inBatch(location.parent));
    if (!ready.length) throw badUserInput("locations: their parents form a cycle", "locations");
    for (const entry of ready) {
      ordered.push(entry);
      if (entry[1].slug) placed.add(entry[1].slug);
    }
    pending = pending.filter((entry) => !ready.includes(entry));
  }
  return ordered;
}

async function upsertSource(tx: Tx, data: ReturnType<typeof checkArticle>["source"]): Promise<Source> {
  // Insert-or-nothing, then lock the row: concurrent ingests of one url queue here, one after another.
  await tx.source.createMany({ data: [data], skipDuplicates: true });
  const [stored] = await tx.$queryRaw<Array<Source & { body: string | null }>>`
    SELECT ${sourceColumns("s")}, s.body FROM sources s WHERE s.url = ${data.url} FOR UPDATE`;
  if (!differs(stored, data)) return stored;
  return tx.source.update({ where: { id: stored.id }, data, select: sourceSelect });
}

async function upsertEvent(
  tx: Tx,
  sourceId: number,
  input: ArticleEventInput,
  { columns, claims }: { columns: EventFields; claims: readonly CheckedClaim[] },
  field: string,
  participantIds: ReadonlyMap<string, number>,
): Promise<{ id: number; change: Change }> {
  // A claim without a source was reported by this article.
  const writeClaims = (eventId: number) => replaceClaims(tx, eventId, claims, `${field}.claims`, { known: participantIds, defaultSourceId: sourceId });
  const locationId = await locationIdOf(tx, input.location, `${field}.location`);
  const roles = await participantRoles(tx, input.participants ?? [], `${field}.participants`, participantIds);
  const data = { ...columns, locationId };
  const link = await tx.eventSource.findUnique({
    where: { sourceId_key: { sourceId, key: input.key } },
    select: { event: { include: { participants: { select: { participantId: true, role: true } } } } },
  });
  if (!link) {
    const event = await tx.event.create({
      data: { ...data, ...periodWindow(input.date), participants: { create: roles }, sources: { create: { sourceId, key: input.key } } },
      select: { id: true },
    });
    await writeClaims(event.id);
    return { id: event.id, change: "created" };
  }
  const { participants: storedRoles, ...stored } = link.event;
  const key = (role: { participantId: number; role: string }) => `${role.participantId}:${role.role}`;
  const rolesChanged = storedRoles.map(key).sort().join() !== roles.map(key).sort().join();
  const claimsChanged = await writeClaims(stored.id);
  if (!differs(stored, data) && !rolesChanged) return { id: stored.id, change: claimsChanged ? "updated" : "unchanged" };
  // A new date starts from its own period; recomputeWindows narrows it after the article's links.
  const redated = stored.occurredAt.getTime() !== data.occurredAt.getTime() || stored.endsAt.getTime() !== data.endsAt.getTime();
  await tx.event.update({ where: { id: stored.id }, data: redated ? { ...data, ...periodWindow(input.date) } : data });
  if (rolesChanged) await replaceParticipants(tx, stored.id, roles);
  return { id: stored.id, change: "updated" };
}

function parseCause(cause: string, key: string, field: string): number {
  if (!/^\d+$/.test(cause)) throw badUserInput(`${field}: "${cause}" is neither a key of this article nor an event id (event "${key}")`, field);
  return parseId(cause, field);
}
