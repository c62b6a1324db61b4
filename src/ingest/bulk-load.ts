import type { DbClient } from "../db/database";
import { inWriteTransaction } from "../db/transactions";
import type { LocationKind, ParticipantKind, ParticipantRole } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import { checkEventDate, type DateRules } from "../events/event-dates";
import { eventFields, type EventFieldsInput } from "../events/event-fields";
import { recomputeWindows, windowsOfNewEvents } from "../events/event-windows";
import { ChangeRecorder } from "../changes/change-log";

export interface BulkLocation {
  slug: string;
  name: string;
  kind: LocationKind;
  countryCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  /** Must exist already: load a hierarchy one level per call, parents first. */
  parentId?: number | null;
}

export interface BulkParticipant {
  slug: string;
  name: string;
  kind: ParticipantKind;
  description?: string | null;
  countryId?: number | null;
}

export interface BulkSource {
  url: string;
  title: string;
  publisher?: string | null;
  publishedAt: Date;
}

export interface BulkEvent extends EventFieldsInput {
  /** Names this event within its batch, so that a later event of the batch can give it as a cause. */
  key?: string;
  locationId?: number | null;
  participants?: ReadonlyArray<{ participantId: number; role: ParticipantRole }>;
  sources?: ReadonlyArray<{ sourceId: number; key?: string | null }>;
  /** Stored event ids, or keys of events earlier in the same batch. */
  causes?: ReadonlyArray<number | string>;
}

/**
 * Loads trusted, already-resolved rows (ids rather than slugs) many at a time: one INSERT over
 * unnest()ed arrays per table and batch, instead of the ingest path's per-row upserts. For
 * generated data sets (the benchmark) and imports; the caller batches (a few thousand events a
 * call), and the live change feed is not told: nothing subscribes to a load.
 */
export class BulkLoadService {
  constructor(
    private readonly prisma: DbClient,
    private readonly dates: DateRules,
  ) {}

  /** Inserts locations; returns their ids in input order. */
  async locations(rows: readonly BulkLocation[]): Promise<number[]> {
    const ids = await this.reserveIds("locations", rows.length);
    await this.prisma.$executeRaw`
      INSERT INTO locations (id, slug, name, kind, country_code, latitude, longitude, parent_id, updated_at)
      SELECT *, now() FROM unnest(
        ${ids}::int[], ${rows.map((r) => r.slug)}::text[], ${rows.map((r) => r.name)}::text[],
        ${rows.map((r) => r.kind)}::text[]::"LocationKind"[], ${rows.map((r) => r.countryCode ?? null)}::varchar(2)[],
        ${rows.map((r) => r.latitude ?? null)}::float8[], ${rows.map((r) => r.longitude ?? null)}::float8[],
        ${rows.map((r) => r.parentId ?? null)}::int[])`;
    return ids;
  }

  /** Inserts participants; returns their ids in input order. */
  async participants(rows: readonly BulkParticipant[]): Promise<number[]> {
    const ids = await this.reserveIds("participants", rows.length);
    await this.prisma.$executeRaw`
      INSERT INTO participants (id, slug, name, kind, description, country_id, updated_at)
      SELECT *, now() FROM unnest(
        ${ids}::int[], ${rows.map((r) => r.slug)}::text[], ${rows.map((r) => r.name)}::text[],
        ${rows.map((r) => r.kind)}::text[]::"ParticipantKind"[], ${rows.map((r) => r.description ?? null)}::text[],
        ${rows.map((r) => r.countryId ?? null)}::int[])`;
    return ids;
  }

  /** Inserts sources (articles) with the ids given, or new ones; returns their ids in input order. */
  async sources(rows: readonly BulkSource[], reserved?: readonly number[]): Promise<number[]> {
    const ids = reserved ? checkIds(reserved, rows.length) : await this.reserveIds("sources", rows.length);
    await this.prisma.$executeRaw`
      INSERT INTO sources (id, url, title, publisher, published_at, updated_at)
      SELECT *, now() FROM unnest(
        ${ids}::int[], ${rows.map((r) => r.url)}::text[], ${rows.map((r) => r.title)}::text[],
        ${rows.map((r) => r.publisher ?? null)}::text[], ${rows.map((r) => r.publishedAt.toISOString())}::timestamptz[])`;
    return ids;
  }

  /**
   * Inserts events with their participants, sources and causes in one transaction (four
   * statements whatever the batch size); returns the events' ids in input order. Titles, tolls
   * and periods are checked as the API checks them; ends_at is derived from the date. With ids
   * reserved beforehand (reserveIds), a caller can refer to this batch's events from the next
   * one while this one is still being written.
   */
  async events(rows: readonly BulkEvent[], reserved?: readonly number[]): Promise<number[]> {
    const columns = rows.map((row, index) => {
      const fields = eventFields(row, `events[${index}]`);
      checkEventDate(fields, this.dates, `events[${index}].date`);
      return fields;
    });
    return inWriteTransaction(this.prisma, async (tx) => {
      // A bulk load is re-run, not recovered: a batch need not wait for its WAL to reach the disk
      // (a crash loses the last batches whole, never part of one). The full-text GIN index moves
      // its pending entries into the index in work_mem-sized sorts; 4 MB makes many small ones.
      // Its rollup deltas wait for the end of the transaction (migration deferred_rollups): the
      // rollup lock is then held for one statement, not the whole batch, and two batches in
      // flight run side by side.
      await tx.$executeRaw`SELECT set_config('synchronous_commit', 'off', true), set_config('work_mem', '64MB', true),
                                  set_config('timeline.defer_rollups', 'on', true)`;
      const ids = reserved ? checkIds(reserved, rows.length) : await reserve(tx, "events", rows.length);
      const byKey = new Map(rows.flatMap((row, index) => (row.key ? [[row.key, ids[index]] as const] : [])));
      const roles = rows.flatMap((row, i) => (row.participants ?? []).map((p) => ({ eventId: ids[i], ...p })));
      const sources = rows.flatMap((row, i) => (row.sources ?? []).map((s) => ({ eventId: ids[i], ...s })));
      const links = rows.flatMap((row, i) =>
        (row.causes ?? []).map((cause) => {
          const causeId = typeof cause === "number" ? cause : byKey.get(cause);
          if (causeId === undefined) throw badUserInput(`events[${i}].causes: no event "${cause}" in this batch`, "causes");
          return { causeId, effectId: ids[i] };
        }),
      );

      // Each row is written with its final window (sources and in-batch causes applied), not
      // inserted and then updated: an update rewrites every index entry of the row, the
      // full-text one included, which made a batch several times slower.
      const published = await earliestPublications(tx, sources);
      const causesOf = new Map<number, number[]>();
      for (const { causeId, effectId } of links) causesOf.set(effectId, [...(causesOf.get(effectId) ?? []), causeId]);
      const { windows, outside } = await windowsOfNewEvents(
        tx,
        columns.map((c, i) => ({
          id: ids[i],
          title: c.title,
          start: c.occurredAt.getTime(),
          end: c.endsAt.getTime(),
          calendarDate: c.precision !== "TIME",
          occurred: c.status === "OCCURRED",
          notBefore: c.notBefore ? { at: c.notBefore.getTime(), calendar: c.notBeforeCalendar } : null,
          notAfter: c.notAfter ? { at: c.notAfter.getTime(), calendar: c.notAfterCalendar } : null,
          published: published.get(ids[i]) ?? null,
        })),
        causesOf,
      );
      const window = ids.map((id) => windows.get(id)!);
      await tx.$executeRaw`
        INSERT INTO events (id, title, summary, occurred_at, ends_at, precision, category, status, fatalities, injured, location_id,
                            not_before, not_before_calendar, not_after, not_after_calendar,
                            earliest, latest, earliest_bound, latest_bound, earliest_calendar, latest_calendar, causal_depth,
                            deaths_low, deaths_high, deaths_qualifier, deaths_text,
                            injuries_low, injuries_high, injuries_qualifier, injuries_text, updated_at)
        SELECT *, now() FROM unnest(
          ${ids}::int[], ${columns.map((c) => c.title)}::text[], ${columns.map((c) => c.summary)}::text[],
          ${columns.map((c) => c.occurredAt.toISOString())}::timestamptz[], ${columns.map((c) => c.endsAt.toISOString())}::timestamptz[],
          ${columns.map((c) => c.precision)}::text[]::"DatePrecision"[], ${columns.map((c) => c.category)}::text[]::"EventCategory"[],
          ${columns.map((c) => c.status)}::text[]::"EventStatus"[], ${columns.map((c) => c.fatalities)}::int[],
          ${columns.map((c) => c.injured)}::int[], ${rows.map((r) => r.locationId ?? null)}::int[],
          ${columns.map((c) => c.notBefore?.toISOString() ?? null)}::timestamptz[], ${columns.map((c) => c.notBeforeCalendar)}::boolean[],
          ${columns.map((c) => c.notAfter?.toISOString() ?? null)}::timestamptz[], ${columns.map((c) => c.notAfterCalendar)}::boolean[],
          ${window.map((w) => new Date(w.earliest.at).toISOString())}::timestamptz[], ${window.map((w) => new Date(w.latest.at).toISOString())}::timestamptz[],
          ${window.map((w) => w.earliest.bound)}::text[]::"WindowBound"[], ${window.map((w) => w.latest.bound)}::text[]::"WindowBound"[],
          ${window.map((w) => w.earliest.calendar)}::boolean[], ${window.map((w) => w.latest.calendar)}::boolean[],
          ${window.map((w) => w.depth)}::int[],
          ${columns.map((c) => c.deathsLow)}::int[], ${columns.map((c) => c.deathsHigh)}::int[],
          ${columns.map((c) => c.deathsQualifier)}::text[]::"TollQualifier"[], ${columns.map((c) => c.deathsText)}::text[],
          ${columns.map((c) => c.injuriesLow)}::int[], ${columns.map((c) => c.injuriesHigh)}::int[],
          ${columns.map((c) => c.injuriesQualifier)}::text[]::"TollQualifier"[], ${columns.map((c) => c.injuriesText)}::text[])`;
      if (roles.length) {
        await tx.$executeRaw`
          INSERT INTO event_participants (event_id, participant_id, role)
          SELECT * FROM unnest(${roles.map((r) => r.eventId)}::int[], ${roles.map((r) => r.participantId)}::int[],
                               ${roles.map((r) => r.role)}::text[]::"ParticipantRole"[])`;
      }
      if (sources.length) {
        await tx.$executeRaw`
          INSERT INTO event_sources (event_id, source_id, key)
          SELECT * FROM unnest(${sources.map((s) => s.eventId)}::int[], ${sources.map((s) => s.sourceId)}::int[],
                               ${sources.map((s) => s.key ?? null)}::text[])`;
      }
      if (links.length) {
        await tx.$executeRaw`
          INSERT INTO event_links (cause_id, effect_id)
          SELECT * FROM unnest(${links.map((l) => l.causeId)}::int[], ${links.map((l) => l.effectId)}::int[])`;
      }
      // Stored causes are bounded by their new consequences (and so is what led to them).
      const log = new ChangeRecorder();
      log.markCreated(ids);
      if (outside.length) await recomputeWindows(tx, outside, log);
      await log.record(tx, ids);
      await tx.$executeRaw`SELECT timeline_rollup_flush()`;
      return ids;
    }, BATCH_TRANSACTION);
  }

  /**
   * Inserts causal links between stored events. Postgres checks a foreign key against committed
   * rows only, so a loader writing batches concurrently adds the links that reach into another
   * batch here, once that batch has committed.
   */
  async links(links: ReadonlyArray<{ causeId: number; effectId: number }>): Promise<void> {
    if (!links.length) return;
    await inWriteTransaction(this.prisma, async (tx) => {
      const effects = links.map((l) => l.effectId);
      await tx.$executeRaw`SELECT set_config('timeline.defer_rollups', 'on', true)`;
      const log = new ChangeRecorder();
      await log.capture(tx, effects);
      await tx.$executeRaw`
        INSERT INTO event_links (cause_id, effect_id)
        SELECT * FROM unnest(${links.map((l) => l.causeId)}::int[], ${links.map((l) => l.effectId)}::int[])`;
      await recomputeWindows(tx, effects, log);
      await log.record(tx, effects);
      await tx.$executeRaw`SELECT timeline_rollup_flush()`;
    }, BATCH_TRANSACTION);
  }

  /** Takes `count` ids from the table's sequence, for rows to be inserted later with them. */
  reserveIds(table: SerialTable, count: number): Promise<number[]> {
    return reserve(this.prisma, table, count);
  }
}

/** The publication of each event's earliest source, by event id (events without a dated source left out). */
async function earliestPublications(
  tx: Pick<DbClient, "$queryRaw">,
  sources: ReadonlyArray<{ eventId: number; sourceId: number }>,
): Promise<Map<number, number>> {
  if (!sources.length) return new Map();
  const rows = await tx.$queryRaw<Array<{ id: number; publishedAt: Date | null }>>`
    SELECT id, published_at AS "publishedAt" FROM sources WHERE id = ANY(${[...new Set(sources.map((s) => s.sourceId))]}::int[])`;
  const publishedAt = new Map(rows.map((row) => [row.id, row.publishedAt?.getTime() ?? null]));
  const earliest = new Map<number, number>();
  for (const { eventId, sourceId } of sources) {
    const at = publishedAt.get(sourceId);
    const known = earliest.get(eventId);
    if (at != null && (known === undefined || at < known)) earliest.set(eventId, at);
  }
  return earliest;
}

// A batch of a few thousand events takes well under a second; Prisma's 5 s default is too tight
// on a busy machine, where the GIN full-text index makes the odd batch slow.
const BATCH_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

export type SerialTable = "events" | "locations" | "participants" | "sources";

function checkIds(ids: readonly number[], count: number): number[] {
  if (ids.length !== count) throw new Error(`bulk load: ${ids.length} ids reserved for ${count} rows`);
  return [...ids];
}

/**
 * Takes `count` ids from the table's sequence, so that rows and the rows referring to them can
 * be inserted with their ids known (RETURNING gives no order to match them back by).
 */
async function reserve(client: Pick<DbClient, "$queryRaw">, table: SerialTable, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await client.$queryRaw<Array<{ id: number }>>`
    SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::int AS id FROM generate_series(1, ${count}::int)`;
  return rows.map((row) => row.id);
}
