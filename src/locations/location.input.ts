import { Field, Float, InputType } from "type-graphql";
import { LocationKind } from "../generated/prisma/enums";

@InputType()
export class LocationInput {
  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => LocationKind)
  kind!: LocationKind;

  @Field(() => [String], { nullable: true })
  aliases?: string[] | null;

  @Field(() => String, { nullable: true, description: "Slug of the enclosing location." })
  parent?: string | null;

  @Field(() => String, { nullable: true })
  countryCode?: string | null;

  @Field(() => Float, { nullable: true })
  latitude?: number | null;

  @Field(() => Float, { nullable: true })
  longitude?: number | null;
}
