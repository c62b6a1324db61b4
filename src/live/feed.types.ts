import { Field, ID, Int, ObjectType } from "type-graphql";
import { ChangeKind } from "../generated/prisma/enums";
import { PageInfo, type Page } from "../common/connection";

@ObjectType({
  description:
    "An entry of the change feed. DELETED entries are tombstones: they stay in the feed (until\npruned). An event whose time window " +
    "moves because a linked event changed gets its own UPDATED\nentry (field 'timeWindow'). A delete is a change: its version is the last one + 1.",
})
export class EventChange {
  @Field(() => String, { description: "Position in the feed: pass it as `after` to read or subscribe from just after this change." })
  cursor!: string;

  @Field(() => ChangeKind)
  kind!: ChangeKind;

  @Field(() => ID)
  eventId!: number;

  @Field(() => Int, { description: "The event's version after the change." })
  version!: number;

  @Field(() => Date)
  at!: Date;

  /** Resolved by FeedResolver: the event as it is now. */
  event?: unknown;

  @Field(() => [String], { description: "For UPDATED, the Event fields that changed; empty otherwise." })
  fields!: string[];
}

@ObjectType("EventChangeEdge")
export class EventChangeEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => EventChange)
  node!: EventChange;
}

@ObjectType({
  description:
    "Changes in commit order. A reader that pages with `after` sees every committed change\nexactly once, including those of " +
    "transactions that commit after a later-started one.",
})
export class EventChangeConnection {
  constructor(private readonly page: Page<EventChange>) {}

  @Field(() => [EventChangeEdge])
  edges(): EventChangeEdge[] {
    return this.page.nodes.map((node) => ({ cursor: node.cursor, node }));
  }

  @Field(() => PageInfo)
  pageInfo(): PageInfo {
    return new PageInfo(this.page as Page<unknown>);
  }
}
