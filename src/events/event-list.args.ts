import { ArgsType, Field, Int } from "type-graphql";
import { SortOrder, TimelineFilter } from "./event-filter.input";

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
