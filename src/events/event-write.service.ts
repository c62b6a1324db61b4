import type { DbClient } from "../db/database";
import { inWriteTransaction } from "../db/transactions";
import { notFound } from "../common/errors";
import { parseId } from "../common/ids";
import type { ChangeNotifier } from "./change-notifier";
import { checkEventDate, type DateRules } from "./event-dates";
import { eventFields, eventFieldsUpdate, periodWindow } from "./event-fields";
import type { EventInput, EventUpdateInput } from "./event.input";
import { locationIdOf, participantRoles, replaceCauses, replaceParticipants, replaceSources } from "./event-relations";
import { eventSelect, type EventRow } from "./event.columns";
import { causalNeighbours, recomputeWindows } from "./event-windows";

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
    const columns = eventFields(input, "input");
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
      if (causeIds.length) await replaceCauses(tx, created.id, causeIds, "input.causes");
      const moved = await recomputeWindows(tx, [created.id]);
      return { event: await tx.event.findUniqueOrThrow({ where: { id: created.id }, select: eventSelect }), moved };
    });
    await this.changes.eventsChanged([event.id, ...moved.filter((id) => id !== event.id)]);
    return event;
  }

  async update(id: string, input: EventUpdateInput): Promise<EventRow> {
    const eventId = parseId(id);
    const columns = eventFieldsUpdate(input, "input");
    const causeIds = input.causes?.map((cause, index) => parseId(cause, `input.causes[${index}]`));
    const { event, moved } = await inWriteTransaction(this.prisma, async (tx) => {
      // Locks the row: concurrent updates of one event apply one after the other.
      const [stored] = await tx.$queryRaw<Array<Pick<EventRow, "id" | "occurredAt" | "precision" | "status">>>`
        SELECT id, occurred_at AS "occurredAt", precision, status FROM events WHERE id = ${eventId}::int FOR UPDATE`;
      if (!stored) throw notFound(`No event with id ${eventId}`);
      if (columns.occurredAt || columns.status) checkEventDate({ ...stored, ...columns }, this.dates, columns.occurredAt ? "input.date" : "input.status");
      const locationId = input.location === undefined ? undefined : await locationIdOf(tx, input.location, "input.location");
      await tx.event.update({ where: { id: eventId }, data: { ...columns, ...(locationId === undefined ? {} : { locationId }) } });
      if (input.participants != null) {
        await replaceParticipants(tx, eventId, await participantRoles(tx, input.participants, "input.participants"));
      }
      if (input.sourceUrls != null) await replaceSources(tx, eventId, input.sourceUrls, "input.sourceUrls");
      // The causes it leaves may be bounded by it no more.
      const formerCauses = causeIds != null ? await causalNeighbours(tx, [eventId]) : [];
      if (causeIds != null) await replaceCauses(tx, eventId, causeIds, "input.causes");
      const windowInputs =
        columns.occurredAt || columns.status || "notBefore" in columns || "notAfter" in columns || input.sourceUrls != null || causeIds != null;
      const moved = windowInputs ? await recomputeWindows(tx, [eventId, ...formerCauses]) : [];
      return { event: await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: eventSelect }), moved };
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
      const neighbours = await causalNeighbours(tx, [eventId]);
      const { count } = await tx.event.deleteMany({ where: { id: eventId } });
      if (count === 0) throw notFound(`No event with id ${eventId}`);
      return recomputeWindows(tx, neighbours);
    });
    if (moved.length) await this.changes.eventsChanged(moved);
    return true;
  }
}
