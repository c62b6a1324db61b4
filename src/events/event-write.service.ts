import type { DbClient } from "../db/database";
import { inWriteTransaction } from "../db/transactions";
import { conflict, notFound } from "../common/errors";
import { ChangeRecorder, type EventState, type OwnEventState } from "../changes/change-log";
import { parseId } from "../common/ids";
import type { ChangeNotifier } from "./change-notifier";
import { checkEventDate, type DateRules } from "./event-dates";
import { checkClaims } from "./claim";
import { deathColumns, eventFields, eventFieldsUpdate, eventToll, givenTolls, injuryColumns, periodWindow } from "./event-fields";
import type { EventInput, EventUpdateInput } from "./event.input";
import {
  locationIdOf,
  participantRoles,
  replaceCauses,
  replaceClaims,
  replaceParticipants,
  replaceSources,
  storedClaimTolls,
} from "./event-relations";
import { eventSelect, type EventRow } from "./event.columns";
import { causalNeighbours, recomputeWindows } from "./event-windows";

type StoredForUpdate = Pick<EventRow, "id" | "occurredAt" | "precision" | "status"> & {
  deathsKnown: boolean;
  injuriesKnown: boolean;
  deathsFromClaims: boolean;
  injuriesFromClaims: boolean;
  version: number;
  state: EventState | OwnEventState;
};

/**
 * Editors' writes to single events. Each is one transaction: a refused write leaves the
 * database as it was. Subscribers hear of a change only after it has committed.
 */
export class EventWriteService {
  constructor(
    private readonly prisma: DbClient,
    private readonly changes: ChangeNotifier,
    private readonly dates: DateRules,
  ) {}

  async create(input: EventInput): Promise<EventRow> {
    const claims = checkClaims(input.claims ?? [], "input.claims");
    const columns = eventFields(input, "input", claims);
    checkEventDate(columns, this.dates, "input.date");
    const causeIds = (input.causes ?? []).map((id, index) => parseId(id, `input.causes[${index}]`));
    const { event, moved } = await inWriteTransaction(this.prisma, async (tx) => {
      const locationId = await locationIdOf(tx, input.location, "input.location");
      const roles = await participantRoles(tx, input.participants ?? [], "input.participants");
      const created = await tx.event.create({
        data: { ...columns, ...periodWindow(input.date), locationId, participants: { create: roles } },
        select: { id: true },
      });
      if (input.sourceUrls?.length) await replaceSources(tx, created.id, input.sourceUrls, "input.sourceUrls");
      if (claims.length) await replaceClaims(tx, created.id, claims, "input.claims");
      if (causeIds.length) await replaceCauses(tx, created.id, causeIds, "input.causes");
      const log = new ChangeRecorder();
      log.markCreated([created.id]);
      const moved = await recomputeWindows(tx, [created.id], log);
      await log.record(tx, [created.id]);
      return { event: await tx.event.findUniqueOrThrow({ where: { id: created.id }, select: eventSelect }), moved };
    });
    await this.changes.eventsChanged([event.id, ...moved.filter((id) => id !== event.id)]);
    return event;
  }

  async update(id: string, input: EventUpdateInput): Promise<EventRow> {
    const eventId = parseId(id);
    const columns = eventFieldsUpdate(input, "input");
    const tolls = givenTolls(input, "input");
    const claims = input.claims == null ? undefined : checkClaims(input.claims, "input.claims");
    const causeIds = input.causes?.map((cause, index) => parseId(cause, `input.causes[${index}]`));
    // An update that leaves the event's relations as they are captures only its own state before
    // writing (no lookups of lists it cannot change); the recording completes it from the state after.
    const relationsChange = input.participants != null || input.sourceUrls != null || claims != null || causeIds != null;
    const { event, moved } = await inWriteTransaction(this.prisma, async (tx) => {
      // Locks the row, then reads it (migration lock_then_read_state): concurrent updates of one
      // event apply one after the other, each recording the state the one before it left.
      const [stored] = await tx.$queryRaw<Array<StoredForUpdate>>`
        SELECT id, occurred_at AS "occurredAt", precision, status, deaths_known AS "deathsKnown", injuries_known AS "injuriesKnown",
               deaths_from_claims AS "deathsFromClaims", injuries_from_claims AS "injuriesFromClaims", version, state
        FROM timeline_event_for_update(${eventId}::int, ${relationsChange}::boolean)`;
      if (!stored) throw notFound(`No event with id ${eventId}`);
      if (input.expectedVersion != null && input.expectedVersion !== stored.version) {
        throw conflict(`Event ${eventId} is at version ${stored.version}, not ${input.expectedVersion}: read it again and reapply the change`);
      }
      const log = new ChangeRecorder();
      log.captured(eventId, stored.state, stored.version);
      if (columns.occurredAt || columns.status) checkEventDate({ ...stored, ...columns }, this.dates, columns.occurredAt ? "input.date" : "input.status");
      const locationId = input.location === undefined ? undefined : await locationIdOf(tx, input.location, "input.location");
      // A toll cleared falls back on the claims the event keeps.
      const claimed = claims ?? (tolls.deaths === null || tolls.injuries === null ? await storedClaimTolls(tx, eventId) : undefined);
      const deaths = eventToll(tolls.deaths, claimed?.map((claim) => claim.deaths), { known: stored.deathsKnown, fromClaims: stored.deathsFromClaims });
      const injuries = eventToll(tolls.injuries, claimed?.map((claim) => claim.injuries), {
        known: stored.injuriesKnown,
        fromClaims: stored.injuriesFromClaims,
      });
      await tx.event.update({
        where: { id: eventId },
        data: {
          ...columns,
          ...(deaths && deathColumns(deaths)),
          ...(injuries && injuryColumns(injuries)),
          ...(locationId === undefined ? {} : { locationId }),
        },
        // The event is read back after its entry is recorded (recordAndRead), not here.
        select: { id: true },
      });
      if (input.participants != null) {
        await replaceParticipants(tx, eventId, await participantRoles(tx, input.participants, "input.participants"));
      }
      if (input.sourceUrls != null) await replaceSources(tx, eventId, input.sourceUrls, "input.sourceUrls");
      if (claims) await replaceClaims(tx, eventId, claims, "input.claims");
      // The causes it leaves may be bounded by it no more.
      const formerCauses = causeIds != null ? await causalNeighbours(tx, [eventId]) : [];
      if (causeIds != null) await replaceCauses(tx, eventId, causeIds, "input.causes");
      const windowInputs =
        columns.occurredAt || columns.status || "notBefore" in columns || "notAfter" in columns || input.sourceUrls != null || claims != null || causeIds != null;
      const moved = windowInputs ? await recomputeWindows(tx, [eventId, ...formerCauses], log) : [];
      const event = await log.recordAndRead(tx, [eventId], eventId);
      if (!event) throw new Error(`Event ${eventId} was updated but cannot be read back`);
      return { event, moved };
    });
    await this.changes.eventsChanged([event.id, ...moved.filter((id) => id !== event.id)]);
    return event;
  }

  /**
   * Deletes an event and its links, freeing the windows it bounded; NOT_FOUND when there is
   * none, including the second time.
   */
  async delete(id: string): Promise<boolean> {
    const eventId = parseId(id);
    const moved = await inWriteTransaction(this.prisma, async (tx) => {
      // One statement (timeline_delete_event, migration lock_then_read_state): the row locked, then
      // the event's last state (the tombstone) and its causal neighbours read after the lock, the
      // row deleted, its DELETED entry written. A delete costs what it did before the change log.
      const [result] = await tx.$queryRaw<[{ deleted: boolean; neighbours: number[] }]>`
        SELECT deleted, neighbours FROM timeline_delete_event(${eventId}::int)`;
      if (!result?.deleted) throw notFound(`No event with id ${eventId}`);
      if (!result.neighbours.length) return [];
      const log = new ChangeRecorder();
      const moved = await recomputeWindows(tx, result.neighbours, log);
      await log.record(tx, []);
      return moved;
    });
    if (moved.length) await this.changes.eventsChanged(moved);
    return true;
  }
}
