import type { EventRow } from "../events/event.columns";
import type { TimelineFilter } from "../events/event-filter.input";
import type { EventFilterService } from "../events/event-filter.service";
import type { DeliveredChange, FeedHub } from "./feed-hub";

/**
 * eventChanged: a view of the live feed (the FeedHub), the events created or updated from now on
 * that match a subscriber's filter. The hub reads the log once per batch for every subscription,
 * whatever their number, so a change costs no statement of its own per subscriber.
 */
export class EventChangesService {
  constructor(
    private readonly filters: EventFilterService,
    private readonly hub: FeedHub | null,
  ) {}

  /**
   * Changed events that match the filter, from now until the stream is returned. The filter is
   * resolved first, so a bad one fails the subscription before the hub counts it; its slugs are
   * resolved once, as for a timeline request.
   */
  async matching(filter: TimelineFilter | null | undefined): Promise<AsyncIterableIterator<EventRow>> {
    const criteria = filter ? await this.filters.resolve(filter) : null;
    if (!this.hub) throw new Error("This server has no live feed");
    return eventsOf(await this.hub.subscribe(criteria, null, "events"));
  }
}

/** The events of an "events" view's changes: the hub delivers only those whose event it read. */
function eventsOf(changes: AsyncIterableIterator<DeliveredChange>): AsyncIterableIterator<EventRow> {
  const events: AsyncIterableIterator<EventRow> = {
    next: async () => {
      const { value, done } = await changes.next();
      return done ? { value: undefined, done: true } : { value: value.event!, done: false };
    },
    return: async () => {
      await changes.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      await changes.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => events,
  };
  return events;
}
