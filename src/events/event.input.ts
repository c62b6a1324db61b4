import { Field, ID, InputType, Int } from "type-graphql";
import { EventCategory, EventStatus } from "../generated/prisma/enums";
import type { PartialDate } from "../common/partial-date";
import { PartialDateScalar } from "../common/scalars";
import { ParticipantRoleInput } from "../participants/participant.input";
import { ClaimInput } from "./claim";
import { TollInput } from "./toll";

/**
 * The fields an event is written with, shared by EventInput and ArticleEventInput.
 * No field takes it, so it never appears in the schema itself.
 */
@InputType()
export abstract class EventFieldsInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => PartialDateScalar, { description: "Its format sets the event's precision." })
  date!: PartialDate;

  @Field(() => EventCategory)
  category!: EventCategory;

  @Field(() => EventStatus, { nullable: true, defaultValue: EventStatus.OCCURRED })
  status?: EventStatus | null;

  @Field(() => Int, { nullable: true })
  fatalities?: number | null;

  @Field(() => Int, { nullable: true })
  injured?: number | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "It started no earlier than the start of this period." })
  notBefore?: PartialDate | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "It started no later than the end of this period." })
  notAfter?: PartialDate | null;

  @Field(() => TollInput, {
    nullable: true,
    description: "Fatalities with its qualifier and range; giving both is an error unless fatalities = deaths.best.",
  })
  deaths?: TollInput | null;

  @Field(() => TollInput, { nullable: true })
  injuries?: TollInput | null;

  @Field(() => [ClaimInput], { nullable: true })
  claims?: ClaimInput[] | null;

  @Field(() => String, { nullable: true, description: "Slug of an existing location." })
  location?: string | null;

  @Field(() => [ParticipantRoleInput], { nullable: true })
  participants?: ParticipantRoleInput[] | null;
}

@InputType()
export class EventInput extends EventFieldsInput {
  @Field(() => [String], { nullable: true })
  sourceUrls?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Ids of events this one responded to." })
  causes?: string[] | null;
}

/** A partial update: absent fields stay as they are; a list given replaces the stored one. */
@InputType()
export class EventUpdateInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => PartialDateScalar, { nullable: true })
  date?: PartialDate | null;

  @Field(() => EventCategory, { nullable: true })
  category?: EventCategory | null;

  @Field(() => EventStatus, { nullable: true })
  status?: EventStatus | null;

  @Field(() => Int, { nullable: true })
  fatalities?: number | null;

  @Field(() => Int, { nullable: true })
  injured?: number | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "null removes the bound." })
  notBefore?: PartialDate | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "null removes the bound." })
  notAfter?: PartialDate | null;

  @Field(() => TollInput, { nullable: true, description: "Replaces the toll (and fatalities); null clears both." })
  deaths?: TollInput | null;

  @Field(() => TollInput, { nullable: true, description: "Replaces the toll (and injured); null clears both." })
  injuries?: TollInput | null;

  @Field(() => [ClaimInput], {
    nullable: true,
    description: "Replaces the claims. A toll derived from claims is derived again from these; a toll given stays.",
  })
  claims?: ClaimInput[] | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => [ParticipantRoleInput], { nullable: true })
  participants?: ParticipantRoleInput[] | null;

  @Field(() => [String], { nullable: true })
  sourceUrls?: string[] | null;

  @Field(() => [ID], { nullable: true })
  causes?: string[] | null;

  @Field(() => Int, { nullable: true, description: "When given, the update is refused with CONFLICT unless the event is still at this version." })
  expectedVersion?: number | null;
}
