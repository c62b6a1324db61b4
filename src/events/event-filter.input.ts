import { Field, InputType, Int, registerEnumType } from "type-graphql";
import { EventCategory, EventStatus } from "../generated/prisma/enums";
import type { PartialDate } from "../common/partial-date";
import { PartialDateScalar } from "../common/scalars";

export enum SortOrder {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortOrder, { name: "SortOrder" });

@InputType()
export class TimelineFilter {
  @Field(() => PartialDateScalar, {
    nullable: true,
    description: "Inclusive: events whose period ends on or after the start of this one.",
  })
  from?: PartialDate | null;

  @Field(() => PartialDateScalar, {
    nullable: true,
    description: "Inclusive: events that start on or before the end of this period.",
  })
  to?: PartialDate | null;

  @Field(() => [EventCategory], { nullable: true })
  categories?: EventCategory[] | null;

  @Field(() => [String], { nullable: true, description: "Slugs: events involving any of these participants." })
  participants?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Slugs: events at any of these locations or anywhere within them.",
  })
  locations?: string[] | null;

  @Field(() => Int, { nullable: true })
  minFatalities?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Full-text search over titles and summaries (word stems, any order).",
  })
  search?: string | null;

  @Field(() => [EventStatus], { nullable: true })
  statuses?: EventStatus[] | null;
}
