import { Field, Float, Int, ObjectType } from "type-graphql";
import { EventCategory, EventStatus, LocationKind, ParticipantKind, ParticipantRole } from "../generated/prisma/enums";
import { PartialDateScalar } from "../common/scalars";
import type { PartialDate } from "../common/partial-date";
import { Toll } from "../events/toll";

@ObjectType({ description: "A stretch of the article's text: UTF-16 offsets, end exclusive." })
export class TextSpan {
  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  end!: number;

  @Field(() => String)
  text!: string;
}

@ObjectType()
export class DraftParticipant {
  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ParticipantKind)
  kind!: ParticipantKind;

  @Field(() => Boolean, { description: "True when it is already stored under this slug." })
  known!: boolean;

  @Field(() => [TextSpan])
  mentions!: TextSpan[];
}

@ObjectType()
export class DraftLocation {
  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => LocationKind)
  kind!: LocationKind;

  @Field(() => String, { nullable: true, description: "Slug of the enclosing place, stored or drafted." })
  parent!: string | null;

  @Field(() => String, { nullable: true })
  countryCode!: string | null;

  @Field(() => Float, { nullable: true })
  latitude!: number | null;

  @Field(() => Float, { nullable: true })
  longitude!: number | null;

  @Field(() => Boolean)
  known!: boolean;

  @Field(() => [TextSpan])
  mentions!: TextSpan[];
}

@ObjectType()
export class DraftRole {
  @Field(() => String, { description: "Slug of a stored or drafted participant." })
  participant!: string;

  @Field(() => ParticipantRole)
  role!: ParticipantRole;
}

@ObjectType()
export class DraftClaim {
  @Field(() => String, { nullable: true, description: "Slug of a stored or drafted participant; null when the text does not say who." })
  claimant!: string | null;

  @Field(() => String)
  statement!: string;

  @Field(() => Toll, { nullable: true })
  deaths!: Toll | null;

  @Field(() => Toll, { nullable: true })
  injuries!: Toll | null;
}

@ObjectType({ description: "An event as drawn from the text: the fields of ArticleEventInput, with the evidence." })
export class DraftEvent {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => PartialDateScalar)
  date!: PartialDate;

  @Field(() => PartialDateScalar, { nullable: true })
  notBefore!: PartialDate | null;

  @Field(() => PartialDateScalar, { nullable: true })
  notAfter!: PartialDate | null;

  @Field(() => EventCategory)
  category!: EventCategory;

  @Field(() => EventStatus)
  status!: EventStatus;

  @Field(() => Toll, { nullable: true })
  deaths!: Toll | null;

  @Field(() => Toll, { nullable: true })
  injuries!: Toll | null;

  @Field(() => [DraftClaim])
  claims!: DraftClaim[];

  @Field(() => String, { nullable: true, description: "Slug of a stored or drafted location." })
  location!: string | null;

  @Field(() => [DraftRole])
  participants!: DraftRole[];

  @Field(() => [String], { description: "Keys of drafted events it responded to." })
  causes!: string[];

  @Field(() => [TextSpan], { description: "The sentences it was drawn from." })
  evidence!: TextSpan[];

  @Field(() => Float, { description: "From 0 to 1: how sure the drafting is that this is a distinct, real event." })
  confidence!: number;
}

@ObjectType()
export class ArticleDraft {
  @Field(() => [DraftEvent])
  events!: DraftEvent[];

  @Field(() => [DraftParticipant])
  participants!: DraftParticipant[];

  @Field(() => [DraftLocation])
  locations!: DraftLocation[];
}
