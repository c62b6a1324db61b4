import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { EventConnection } from "../events/event.type";
import { eventPage } from "../events/event-page";
import { TimelineArgs } from "./timeline.args";

@Resolver()
export class TimelineResolver {
  @Query(() => EventConnection, {
    description:
      "Events in time order. Page with first/after going forward or last/before going back; at most 100 a page.",
  })
  async timeline(
    @Args(() => TimelineArgs) args: TimelineArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    const criteria = await context.services.filters.resolve(args.filter);
    return eventPage(context, info, criteria, args.order, args);
  }
}
