import { ArgsType, Field, Int } from "type-graphql";
import { TimelineFilter, SortOrder } from "./timeline.input";

/** Arguments of the event lists nested in a participant or location: forward paging only, as in the contract. */
@ArgsType()
export class EventListArgs {
  @Field(() => TimelineFilter, { nullable: true })
  filter?: TimelineFilter | null;

  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.ASC })
  order!: SortOrder;

  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class TimelineArgs extends EventListArgs {
  @Field(() => Int, { nullable: true })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}
