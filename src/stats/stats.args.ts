import { ArgsType, Field, Int } from "type-graphql";
import { LocationKind } from "../generated/prisma/enums";
import { Interval } from "./stats.type";

// Argument classes rather than @Arg parameters, so that the SDL lists them in this order.

@ArgsType()
export class BucketsArgs {
  @Field(() => Interval)
  interval!: Interval;

  @Field(() => String, { nullable: true, defaultValue: "UTC" })
  timeZone?: string | null;
}

@ArgsType()
export class TopParticipantsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  limit?: number | null;
}

@ArgsType()
export class TopLocationsArgs extends TopParticipantsArgs {
  @Field(() => LocationKind, { nullable: true, defaultValue: LocationKind.COUNTRY })
  kind?: LocationKind | null;
}
