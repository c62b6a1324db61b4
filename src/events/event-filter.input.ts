import { Field, InputType, Int, registerEnumType } from "type-graphql";
import { EventCategory, EventStatus, ParticipantRole } from "../generated/prisma/enums";
import { GeoBoxInput, GeoCircleInput } from "../locations/geo.input";
import type { PartialDate } from "../common/partial-date";
import { PartialDateScalar } from "../common/scalars";

export enum SortOrder {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortOrder, { name: "SortOrder" });

export enum DateMatch {
  OVERLAPS = "OVERLAPS",
  WITHIN = "WITHIN",
}
registerEnumType(DateMatch, {
  name: "DateMatch",
  description: "How a period (a filter's from/to, a bucket) meets an event's time window.",
  valuesConfig: {
    OVERLAPS: { description: "The event may have started in the period: its window and the period overlap." },
    WITHIN: { description: "The event certainly started in the period: its whole window lies inside it." },
  },
});

@InputType()
export class TimelineFilter {
  @Field(() => PartialDateScalar, {
    nullable: true,
    description:
      "Inclusive: events whose time window ends on or after the start of this period (with dateMatch WITHIN: whose window starts on or after it).",
  })
  from?: PartialDate | null;

  @Field(() => PartialDateScalar, {
    nullable: true,
    description:
      "Inclusive: events whose time window starts on or before the end of this period (with dateMatch WITHIN: whose window ends on or before it).",
  })
  to?: PartialDate | null;

  @Field(() => DateMatch, { nullable: true, description: "How from/to meet an event's time window; OVERLAPS when absent." })
  dateMatch?: DateMatch | null;

  @Field(() => [EventCategory], { nullable: true })
  categories?: EventCategory[] | null;

  @Field(() => [String], { nullable: true, description: "Slugs: events involving any of these participants." })
  participants?: string[] | null;

  @Field(() => [ParticipantRole], {
    nullable: true,
    description: "With participants: only where one of them took one of these roles. Alone: events where anyone took one of these roles.",
  })
  roles?: ParticipantRole[] | null;

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

  @Field(() => GeoCircleInput, {
    nullable: true,
    description: "Events at places within this distance of a point; a place without coordinates takes its nearest ancestor's.",
  })
  near?: GeoCircleInput | null;

  @Field(() => GeoBoxInput, { nullable: true, description: "Events at places inside this box (a box may cross the antimeridian: west > east)." })
  box?: GeoBoxInput | null;
}
