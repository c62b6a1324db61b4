import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import { LocationKind } from "../generated/prisma/enums";
import { connectionTypes } from "../common/connection";

registerEnumType(LocationKind, {
  name: "LocationKind",
  valuesConfig: { REGION: { description: "Province, state or other first- or second-level division." } },
});

/** A place; `parent`, `children` and `events` are resolved by LocationResolver. */
@ObjectType()
export class Location {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => LocationKind)
  kind!: LocationKind;

  @Field(() => [String])
  aliases!: string[];

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 code of the country it lies in." })
  countryCode!: string | null;

  @Field(() => Float, { nullable: true })
  latitude!: number | null;

  @Field(() => Float, { nullable: true })
  longitude!: number | null;

  parentId!: number | null;
}

export const { Edge: LocationEdge, Connection: LocationConnection } = connectionTypes("Location", Location);
export type LocationConnection = InstanceType<typeof LocationConnection>;
