import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DatePrecision, EventCategory, EventStatus, ParticipantRole, WindowBound } from "../generated/prisma/enums";
import { connectionTypes } from "../common/connection";
import { Participant } from "../participants/participant.type";

registerEnumType(DatePrecision, { name: "DatePrecision", description: "How exactly an event's date is known." });

registerEnumType(EventCategory, {
  name: "EventCategory",
  valuesConfig: {
    AIRSTRIKE: { description: "Air, drone or missile strikes." },
    ATTACK: { description: "Violence against people: shootings, assaults, killings." },
    EXPLOSION: { description: "Bombings, shelling, other explosions." },
    PROTEST: { description: "Demonstrations and rallies." },
    DIPLOMACY: { description: "Visits, talks, meetings, agreements, recalls and expulsions of envoys." },
    STATEMENT: { description: "Declarations, condemnations, press conferences." },
    LEGAL: { description: "Arrests, trials, laws." },
    POLITICAL: { description: "Elections, appointments, resignations." },
    HUMANITARIAN: { description: "Aid, displacement, repatriation." },
  },
});

registerEnumType(EventStatus, {
  name: "EventStatus",
  valuesConfig: {
    OCCURRED: { description: "Reported as having happened." },
    PLANNED: { description: "Announced or expected, not yet reported as having happened." },
  },
});

registerEnumType(WindowBound, {
  name: "WindowBound",
  description: "What set a bound of an event's time window.",
  valuesConfig: {
    DATE: { description: "The reported date and its precision: 2024-01 spans January." },
    GIVEN: { description: "An explicit notBefore / notAfter given for the event." },
    PUBLICATION: {
      description: "An OCCURRED event cannot have started after the earliest of its sources (claims' sources included) was published.",
    },
    CAUSE: { description: "An event cannot have started before an event it responded to." },
    CONSEQUENCE: { description: "An event cannot have started after an event that responded to it." },
  },
});

@ObjectType({
  description:
    "When an event started, as narrowly as everything known allows: `earliest <= latest`, and the window always lies inside " +
    "the period of the reported date. Calendar dates (DAY, MONTH, YEAR, and bounds given as such) are read as UTC days: an " +
    "end that comes from one, directly or through a causal link, is 00:00:00.000Z or 23:59:59.999Z of its day, and keeps its " +
    "calendar day in any time zone. Instants (TIME precision, a publication time) are exact.",
})
export class TimeWindow {
  @Field(() => Date, { description: "Earliest possible start." })
  earliest!: Date;

  @Field(() => Date, { description: "Latest possible start." })
  latest!: Date;

  @Field(() => WindowBound, {
    description: "What set the bound; when several set the same instant: DATE, then GIVEN, CAUSE or CONSEQUENCE, then PUBLICATION.",
  })
  earliestBound!: WindowBound;

  @Field(() => WindowBound)
  latestBound!: WindowBound;
}

/** An event as stored; the relations, `date` and `timeWindow` are resolved by EventResolver. */
@ObjectType()
export class Event {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => Date, {
    description: "Start of the event; for DAY precision or coarser, 00:00 UTC of the period's first day.",
  })
  occurredAt!: Date;

  @Field(() => DatePrecision)
  precision!: DatePrecision;

  @Field(() => EventCategory)
  category!: EventCategory;

  @Field(() => EventStatus)
  status!: EventStatus;

  @Field(() => Int, { nullable: true, description: "Deaths reported: `deaths.best`. Null when unknown." })
  fatalities!: number | null;

  @Field(() => Int, { nullable: true, description: "Injuries reported: `injuries.best`. Null when unknown." })
  injured!: number | null;

  @Field(() => Int, { description: "1 at creation, +1 with every change (including a move of its time window)." })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  locationId!: number | null;
}

@ObjectType()
export class EventParticipant {
  @Field(() => ParticipantRole)
  role!: ParticipantRole;

  @Field(() => Participant)
  participant!: Participant;
}

export const { Edge: EventEdge, Connection: EventConnection } = connectionTypes(
  "Event",
  Event,
  "A page of events in time order (ties broken by id), with the number of all that match.",
);
export type EventConnection = InstanceType<typeof EventConnection>;
