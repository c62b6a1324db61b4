import { Arg, Ctx, Resolver, Root, Subscription, type PubSub, type SubscribeResolverData } from "type-graphql";
import type { Context } from "../context";
import { Event } from "../events/event.type";
import type { EventRow } from "../events/event.columns";
import { TimelineFilter } from "../events/event-filter.input";

type EventChangedArgs = { filter?: TimelineFilter | null };

@Resolver()
export class EventChangedResolver {
  @Subscription(() => Event, {
    description: "Events as they are created or updated, if they match the filter.",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, EventChangedArgs, Context>) =>
      context.services.eventChanges.matching(args.filter),
  })
  eventChanged(
    @Root() event: EventRow,
    @Ctx() context: Context,
    // Declared for the schema; the subscribe function above has already applied it.
    @Arg("filter", () => TimelineFilter, { nullable: true }) _filter?: TimelineFilter | null,
  ): EventRow {
    // A subscription keeps one context for its whole life: fresh loaders for each delivery, so
    // an event delivered again reads its participants and sources anew, not from the cache.
    context.renewLoaders();
    return event;
  }
}

/**
 * type-graphql (2.0.0-rc.4) refuses to build a schema with subscriptions unless it has a PubSub,
 * even when every subscription brings its own `subscribe`, as eventChanged does: it reads the FeedHub.
 */
export const unusedPubSub: PubSub = {
  publish() {
    throw new Error("Subscriptions read the FeedHub (services.feedHub), not a PubSub");
  },
  subscribe() {
    throw new Error("Subscriptions read the FeedHub (services.feedHub), not a PubSub");
  },
};
