import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { EventConnection } from "../events/event.type";
import { requestedPageRelations } from "./page-relations";
import { TimelineArgs } from "./timeline.args";
import { primePage } from "./timeline.service";

@Resolver()
export class TimelineResolver {
  @Query(() => EventConnection, {
    description:
      "Events in time order. Page with first/after going forward or last/before going back; at most 100 a page.",
  })
  async timeline(
    @Args(() => TimelineArgs) args: TimelineArgs,
    @Ctx() { services, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    const criteria = await services.timeline.resolveFilter(args.filter);
    const page = await services.timeline.page(criteria, args.order, args, requestedPageRelations(info));
    primePage(loaders, page.nodes);
    return new EventConnection(page);
  }
}
