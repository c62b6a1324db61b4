import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DatePrecision, EventCategory, EventStatus, ParticipantRole } from "../generated/prisma/enums";
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

/** An event as stored; the relations and `date` are resolved by EventResolver. */
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

  @Field(() => Int, {
    nullable: true,
    description: "Deaths reported; a lower bound where the source says 'at least'. Null when unknown.",
  })
  fatalities!: number | null;

  @Field(() => Int, { nullable: true })
  injured!: number | null;

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
