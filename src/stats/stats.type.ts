import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { EventCategory } from "../generated/prisma/enums";
import { Location } from "../locations/location.type";
import { Participant } from "../participants/participant.type";
import type { EventCriteria } from "../events/event-criteria";

export enum Interval {
  DAY = "DAY",
  WEEK = "WEEK",
  MONTH = "MONTH",
  YEAR = "YEAR",
}
registerEnumType(Interval, {
  name: "Interval",
  valuesConfig: { WEEK: { description: "ISO weeks, starting Monday 00:00 UTC (or in the buckets' timeZone)." } },
});

@ObjectType()
export class TimelineBucket {
  @Field(() => Date, { description: "First instant of the bucket: 00:00 of its first day in the buckets' time zone." })
  start!: Date;

  @Field(() => Int, { description: "Events whose whole time window lies in this bucket." })
  count!: number;

  @Field(() => Int, { description: "Over the events in `count`." })
  fatalities!: number;

  @Field(() => Int, { description: "Over the events in `count`." })
  injured!: number;

  @Field(() => Int, {
    description: "Events that may have started in this bucket but whose window reaches beyond it; counted in no bucket's `count`.",
  })
  uncertain!: number;
}

@ObjectType()
export class CategoryCount {
  @Field(() => EventCategory)
  category!: EventCategory;

  @Field(() => Int)
  count!: number;

  @Field(() => Int)
  fatalities!: number;
}

@ObjectType()
export class ParticipantCount {
  @Field(() => Participant)
  participant!: Participant;

  @Field(() => Int, { description: "Matching events it is involved in, in any role." })
  count!: number;

  @Field(() => Int)
  fatalities!: number;
}

@ObjectType()
export class LocationCount {
  @Field(() => Location)
  location!: Location;

  @Field(() => Int, { description: "Matching events here or anywhere within." })
  count!: number;

  @Field(() => Int)
  fatalities!: number;
}

/** The count, sums and dates over the matching events, computed together in one statement. */
export interface StatsSummary {
  count: number;
  fatalities: number;
  injured: number;
  fatalitiesLow: number;
  fatalitiesHigh: number;
  first: Date | null;
  last: Date | null;
}

/**
 * The figures over one resolved filter. Its fields are resolved by StatsResolver, so only
 * the figures a request asks for are computed; the summary is shared by the scalar fields.
 */
@ObjectType({ description: "Figures over all events that match a filter, for dashboards." })
export class TimelineStats {
  summary?: Promise<StatsSummary>;
  /** Whether the request asks for first or last. */
  datesWanted = false;
  /** The count and sums alone, which rollups can answer without the dates. */
  totals?: Promise<Pick<StatsSummary, "count" | "fatalities" | "injured">>;

  constructor(readonly criteria: EventCriteria) {}
}
