import { ArgsType, Field, Int } from "type-graphql";
import { EventListArgs } from "../events/event-list.args";

/** The timeline's arguments: those of any event list, and paging backward with last/before. */
@ArgsType()
export class TimelineArgs extends EventListArgs {
  @Field(() => Int, { nullable: true })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}
