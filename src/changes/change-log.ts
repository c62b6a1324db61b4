import { Prisma } from "../generated/prisma/client";
import { formatPartialDate } from "../common/partial-date";
import type { DatePrecision } from "../generated/prisma/enums";

type Tx = Prisma.TransactionClient;

/** An event's state as the log records it (timeline_event_states, migration event_states_in_sets). */
export interface EventState {
  title: string;
  summary: string | null;
  occurredAt: string;
  precision: DatePrecision;
  category: string;
  status: string;
  deaths: unknown;
  injuries: unknown;
  timeWindow: { earliest: string; latest: string; earliestBound: string; latestBound: string };
  location: string | null;
  locationId: number | null;
  participants: Array<{ role: string; participant: string; participantId: number }>;
  sources: string[];
  causes: number[];
  claims: unknown[];
}

/** A changed Event field with its value before and after, as the log stores it. */
export interface StoredFieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export type ChangeKindName = "CREATED" | "UPDATED" | "DELETED";

/** What one write recorded for one event. */
export interface RecordedChange {
  kind: ChangeKindName;
  eventId: number;
}

/**
 * The Event fields each part of the state stands for, and their values: a new deaths toll
 * changes `deaths` and `fatalities`, a new date `date` and whichever of `occurredAt` and
 * `precision` moved.
 */
const FIELDS: Array<{ field: string; value: (state: EventState) => unknown }> = [
  { field: "title", value: (s) => s.title },
  { field: "summary", value: (s) => s.summary },
  { field: "date", value: (s) => formatPartialDate({ start: new Date(s.occurredAt), precision: s.precision }) },
  { field: "occurredAt", value: (s) => s.occurredAt },
  { field: "precision", value: (s) => s.precision },
  { field: "timeWindow", value: (s) => s.timeWindow },
  { field: "category", value: (s) => s.category },
  { field: "status", value: (s) => s.status },
  { field: "fatalities", value: (s) => (s.deaths as { best?: number } | null)?.best ?? null },
  { field: "injured", value: (s) => (s.injuries as { best?: number } | null)?.best ?? null },
  { field: "deaths", value: (s) => s.deaths },
  { field: "injuries", value: (s) => s.injuries },
  { field: "claims", value: (s) => s.claims },
  { field: "location", value: (s) => s.location },
  { field: "participants", value: (s) => s.participants.map(({ role, participant }) => ({ role, participant })) },
  { field: "sources", value: (s) => s.sources },
  { field: "causes", value: (s) => s.causes },
];

/** The Event fields that differ between two states, with their values. */
export function fieldChanges(before: EventState, after: EventState): StoredFieldChange[] {
  const changes: StoredFieldChange[] = [];
  for (const { field, value } of FIELDS) {
    const [was, is] = [value(before) ?? null, value(after) ?? null];
    if (JSON.stringify(was) !== JSON.stringify(is)) changes.push({ field, before: was, after: is });
  }
  return changes;
}

/**
 * The change log of one writing transaction (an outbox: entries commit or roll back with the
 * write). A write captures the state of the events it is about to change, makes its changes,
 * then records: one entry per event that changed (CREATED, UPDATED with its fields, or DELETED
 * with its last state as the tombstone), each event's version advanced, in one statement. Events
 * whose window moved because a linked event changed are told by recomputeWindows (windowMoved)
 * and get their own UPDATED entry.
 */
export class ChangeRecorder {
  private readonly before = new Map<number, { state: EventState; version: number }>();
  private readonly windowsBefore = new Map<number, EventState["timeWindow"]>();
  private readonly created = new Set<number>();

  /** Events this write created: their first entry is CREATED, whatever else moved them. */
  markCreated(eventIds: Iterable<number>): void {
    for (const id of eventIds) this.created.add(id);
  }

  /** States of events about to change, read in the write's transaction (after any row lock). */
  async capture(tx: Tx, eventIds: Iterable<number>): Promise<void> {
    const ids = [...new Set(eventIds)].filter((id) => !this.before.has(id));
    if (!ids.length) return;
    const rows = await tx.$queryRaw<Array<{ id: number; state: EventState; version: number }>>`
      SELECT e.id, s.state, e.version FROM events e JOIN timeline_event_states(${ids}::int[]) s ON s.id = e.id`;
    for (const row of rows) this.before.set(row.id, { state: row.state, version: row.version });
  }

  /** A state already read with the event's row (an update reads it with its lock). */
  captured(eventId: number, state: EventState, version: number): void {
    if (!this.before.has(eventId)) this.before.set(eventId, { state, version });
  }

  /** The window an event had before recomputeWindows moved it. */
  windowMoved(eventId: number, window: EventState["timeWindow"]): void {
    if (!this.windowsBefore.has(eventId)) this.windowsBefore.set(eventId, window);
  }

  /**
   * Writes the log entries for `eventIds` (the events the write created or changed) and for
   * every event captured or moved; `sourceId` is the article whose ingestion made the change.
   * Two statements whatever the number of events.
   */
  async record(tx: Tx, eventIds: Iterable<number>, { sourceId = null }: { sourceId?: number | null } = {}): Promise<RecordedChange[]> {
    const all = [...new Set([...eventIds, ...this.before.keys(), ...this.windowsBefore.keys(), ...this.created])];
    // New events are recorded by the database itself, their state never leaving it: one
    // statement, and half a bulk load's batch no longer travels to Node and back.
    const created = all.filter((id) => this.created.has(id));
    const recorded: RecordedChange[] = [];
    if (created.length) {
      const rows = await tx.$queryRaw<Array<{ eventId: number }>>`
        INSERT INTO event_changes (kind, event_id, version, at, state, source_id)
        SELECT 'CREATED', e.id, e.version, e.created_at, s.state, ${sourceId}::int
        FROM events e JOIN timeline_event_states(${created}::int[]) s ON s.id = e.id ORDER BY e.id
        RETURNING event_id AS "eventId"`;
      recorded.push(...rows.map(({ eventId }) => ({ kind: "CREATED" as const, eventId })));
    }
    const ids = all.filter((id) => !this.created.has(id));
    if (!ids.length) return recorded;
    const rows = await tx.$queryRaw<Array<{ id: number; state: EventState; version: number }>>`
      SELECT e.id, s.state, e.version FROM events e JOIN timeline_event_states(${ids}::int[]) s ON s.id = e.id`;
    const after = new Map(rows.map((row) => [row.id, row]));
    const entries: Array<{ kind: ChangeKindName; eventId: number; version: number; fields: StoredFieldChange[]; state: EventState }> = [];
    for (const id of ids) {
      const now = after.get(id);
      const was = this.before.get(id);
      const movedFrom = this.windowsBefore.get(id);
      if (!now) {
        if (was) entries.push({ kind: "DELETED", eventId: id, version: was.version + 1, fields: [], state: was.state });
        continue;
      }
      const beforeState = was?.state ?? (movedFrom ? { ...now.state, timeWindow: movedFrom } : null);
      if (!beforeState) {
        entries.push({ kind: "CREATED", eventId: id, version: now.version, fields: [], state: now.state });
        continue;
      }
      const fields = fieldChanges(beforeState, now.state);
      // The version is the row's, advanced by the statement below.
      if (fields.length) entries.push({ kind: "UPDATED", eventId: id, version: 0, fields, state: now.state });
    }
    if (!entries.length) return recorded;
    const column = <T>(pick: (entry: (typeof entries)[number]) => T) => entries.map(pick);
    const updated = entries.filter((entry) => entry.kind === "UPDATED").map((entry) => entry.eventId);
    // The versions move by primary key (a join against the entries let the planner scan every
    // event, a cost that grew with the table); a write that only creates skips it.
    const bumped = updated.length
      ? Prisma.sql`, bumped AS (
          UPDATE events e SET version = e.version + 1, updated_at = now() WHERE e.id = ANY(${updated}::int[]) RETURNING e.id, e.version)`
      : Prisma.sql`, bumped AS (SELECT NULL::int AS id, NULL::int AS version WHERE false)`;
    await tx.$executeRaw`
      WITH entries AS (
        SELECT * FROM unnest(
          ${column((e) => e.kind)}::text[], ${column((e) => e.eventId)}::int[], ${column((e) => e.version)}::int[],
          ${column((e) => JSON.stringify(e.fields))}::jsonb[], ${column((e) => JSON.stringify(e.state))}::jsonb[]
        ) WITH ORDINALITY AS x(kind, event_id, version, fields, state, n)
      ) ${bumped}
      INSERT INTO event_changes (kind, event_id, version, at, fields, state, source_id)
      SELECT x.kind::"ChangeKind", x.event_id, coalesce(b.version, x.version),
             -- A creation is dated as the event's createdAt, a change as its updatedAt (now()).
             CASE WHEN x.kind = 'CREATED' THEN (SELECT e.created_at FROM events e WHERE e.id = x.event_id) ELSE now() END,
             x.fields, x.state, ${sourceId}::int
      FROM entries x LEFT JOIN bumped b ON b.id = x.event_id ORDER BY x.n`;
    return [...recorded, ...entries.map(({ kind, eventId }) => ({ kind, eventId }))];
  }
}
