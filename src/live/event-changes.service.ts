import type { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import { eventColumns, type EventRow } from "../events/event.columns";
import { criteriaSql } from "../events/event-criteria";
import type { TimelineFilter } from "../events/event-filter.input";
import type { EventFilterService } from "../events/event-filter.service";
import type { ChangeFeed } from "./change-feed";

/** Live updates: the events the change feed announces, narrowed to one subscriber's filter. */
export class EventChangesService {
  constructor(
    private readonly prisma: DbClient,
    private readonly filters: EventFilterService,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * Changed events that match the filter, from now until the stream is returned. The filter is
   * resolved first, so a bad one fails the subscription before anything is listened to; its
   * slugs are resolved once, as for a timeline request.
   */
  async matching(filter: TimelineFilter | null | undefined): Promise<AsyncIterableIterator<EventRow>> {
    const where = criteriaSql(await this.filters.resolve(filter));
    const stop = new AbortController();
    return stopOnReturn(this.read(this.changes.subscribe(stop.signal), where), stop);
  }

  // One statement per announced id reads the event and tests the filter at once; a deleted
  // event has no row, so it is not delivered. Ids are taken in turn, so deliveries keep their order.
  private async *read(ids: AsyncIterable<number>, where: Prisma.Sql): AsyncGenerator<EventRow> {
    for await (const id of ids) {
      const [event] = await this.prisma.$queryRaw<EventRow[]>`
        SELECT ${eventColumns("e")} FROM events e WHERE e.id = ${id}::int AND ${where}`;
      if (event) yield event;
    }
  }
}

/**
 * The generator's own return() waits until the generator reaches a `yield`, which for a quiet
 * feed may be never; aborting first ends the wait for the next id, so a client that leaves is
 * let go at once.
 */
function stopOnReturn<T>(source: AsyncGenerator<T>, stop: AbortController): AsyncIterableIterator<T> {
  return {
    next: () => source.next(),
    return: (value?: T) => {
      stop.abort();
      return source.return(value as T);
    },
    throw: (error?: unknown) => {
      stop.abort();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
