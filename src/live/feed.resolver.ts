import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { Context } from "../context";
import { Event } from "../events/event.type";
import { TimelineFilter } from "../events/event-filter.input";
import { EventChange, EventChangeConnection } from "./feed.types";
import { feedPosition } from "./feed.service";
import type { DeliveredChange } from "./feed-hub";

type TimelineChangedArgs = { filter?: TimelineFilter | null; after?: string | null };

@Resolver(() => EventChange)
export class FeedResolver {
  @Query(() => EventChangeConnection, {
    description:
      "The change feed, oldest first: every create, update and delete (as a tombstone) since\n`after`. With a filter, the changes of " +
      "events that match it before or after the change (so\na reader learns that an event left its filter; a deleted event by its last state).",
  })
  async changes(
    @Ctx() { services }: Context,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 100 }) first?: number | null,
    @Arg("filter", () => TimelineFilter, { nullable: true }) filter?: TimelineFilter | null,
  ): Promise<EventChangeConnection> {
    const criteria = filter ? await services.filters.resolve(filter) : null;
    return new EventChangeConnection(await services.feed.page({ after, first }, criteria));
  }

  @Subscription(() => EventChange, {
    description:
      "The change feed, live: creates, updates and deletes of events that match the filter.\nWith `after`, it first replays every change " +
      "since that cursor, then goes on live, with\nnone lost or repeated in between, also after the server's database connection drops.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, TimelineChangedArgs, Context>) => {
      // Both checked before anything is listened to: a bad cursor or filter fails the subscription at once.
      const after = args.after == null ? null : feedPosition(args.after);
      if (after) await context.services.feed.assertKept(after);
      const criteria = args.filter ? await context.services.filters.resolve(args.filter) : null;
      const hub = context.services.feedHub;
      if (!hub) throw new Error("This server has no live feed");
      return hub.subscribe(criteria, after);
    },
  })
  timelineChanged(
    @Root() change: DeliveredChange,
    @Ctx() context: Context,
    // Declared for the schema; the subscribe function above has already applied them.
    @Arg("filter", () => TimelineFilter, { nullable: true }) _filter?: TimelineFilter | null,
    @Arg("after", () => String, { nullable: true }) _after?: string | null,
  ): DeliveredChange {
    context.renewLoaders();
    return change;
  }

  @FieldResolver(() => Event, { nullable: true, description: "The event as it is now; null once deleted." })
  event(@Root() change: EventChange & { event?: unknown }, @Ctx() { loaders }: Context) {
    // A live delivery brings it, read once for every subscriber.
    if (change.event !== undefined) return change.event;
    return loaders.event.load(change.eventId);
  }
}
