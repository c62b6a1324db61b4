import { Field, InputType } from "type-graphql";
import { ParticipantKind, ParticipantRole } from "../generated/prisma/enums";

@InputType()
export class ParticipantRoleInput {
  @Field(() => String, { description: "Slug of an existing participant." })
  participant!: string;

  @Field(() => ParticipantRole)
  role!: ParticipantRole;
}

@InputType()
export class ParticipantInput {
  @Field(() => String, {
    nullable: true,
    description: "Derived from the name when absent; an existing slug updates that participant.",
  })
  slug?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => ParticipantKind)
  kind!: ParticipantKind;

  @Field(() => [String], { nullable: true })
  aliases?: string[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "Slug of a COUNTRY location." })
  country?: string | null;
}
