import { Prisma } from "../generated/prisma/client";
import type { DatePrecision } from "../generated/prisma/enums";
import { eventColumns, type EventRow } from "../events/event.columns";

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

/**
 * What an event's row holds of its state (timeline_event_own_state): all but its participants,
 * sources, causes and claims.
 */
export type OwnEventState = Omit<EventState, "participants" | "sources" | "causes" | "claims">;

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

/*
 * Which Event fields each part of a state stands for (a new deaths toll changes `deaths` and
 * `fatalities`, a new date `date` and whichever of `occurredAt` and `precision` moved) is defined
 * once, in SQL: timeline_state_fields and timeline_field_changes (migration changes_recorded_in_sql).
 */

/**
 * The change log of one writing transaction (an outbox: entries commit or roll back with the
 * write). A write captures the state of the events it is about to change, makes its changes,
 * then records: one entry per event that changed (CREATED, UPDATED with its fields, or DELETED
 * with its last state as the tombstone), each event's version advanced, in one statement. Events
 * whose window moved because a linked event changed are told by recomputeWindows (windowMoved)
 * and get their own UPDATED entry.
 */
export class ChangeRecorder {
  private readonly before = new Map<number, { state: EventState | OwnEventState; version: number }>();
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

  /**
   * A state already read with the event's row (an update reads it with its lock). An own state
   * will do for a write that changes none of the event's relations and does not delete it: the
   * recording takes the rest from the state after.
   */
  captured(eventId: number, state: EventState | OwnEventState, version: number): void {
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
    // One statement (timeline_record_changes, migration record_changes_function): the states after
    // the write, the fields that changed, the versions of what changed advanced by primary key, the
    // entries in the order of `ids`. An event gone since its capture is a DELETED entry with its
    // last state (the tombstone); one whose window alone moved is compared with its old window; an
    // event with nothing changed gets no entry.
    const rows = await tx.$queryRaw<RecordedChange[]>`
      SELECT kind, event_id AS "eventId" FROM timeline_record_changes(${this.changesArguments(ids, sourceId)})`;
    return [...recorded, ...rows];
  }

  /**
   * Writes the entries as `record` does, for a write that created nothing, and reads `eventId`
   * back as it is after them, in the same statement (migration update_own_state).
   */
  async recordAndRead(tx: Tx, eventIds: Iterable<number>, eventId: number): Promise<EventRow | null> {
    if (this.created.size) throw new Error("recordAndRead: this write created events; record them with record()");
    const ids = [...new Set([...eventIds, ...this.before.keys(), ...this.windowsBefore.keys()])];
    const [row] = await tx.$queryRaw<EventRow[]>`
      SELECT ${eventColumns("r")} FROM timeline_record_changes_and_read(${this.changesArguments(ids, null)}, ${eventId}::int) r`;
    return row ?? null;
  }

  private changesArguments(ids: number[], sourceId: number | null): Prisma.Sql {
    const before = ids.map((id) => this.before.get(id));
    return Prisma.sql`${ids}::int[], ${before.map((was) => (was ? JSON.stringify(was.state) : null))}::jsonb[],
        ${before.map((was) => was?.version ?? null)}::int[],
        ${ids.map((id) => (this.windowsBefore.has(id) ? JSON.stringify(this.windowsBefore.get(id)) : null))}::jsonb[],
        ${sourceId}::int`;
  }
}
