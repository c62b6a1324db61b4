import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { ParticipantKind, ParticipantRole } from "../generated/prisma/enums";
import { connectionTypes } from "../common/connection";

registerEnumType(ParticipantKind, {
  name: "ParticipantKind",
  valuesConfig: { GROUP: { description: "Civilians, communities, crowds: people not organised as one body." } },
});

registerEnumType(ParticipantRole, {
  name: "ParticipantRole",
  valuesConfig: {
    ACTOR: { description: "Carried it out or started it." },
    TARGET: { description: "It was aimed at them." },
    VICTIM: { description: "Harmed by it without being its aim." },
    PARTICIPANT: { description: "Took part: talks, rallies, conferences." },
  },
});

/** A country, person, armed group, organisation or group; `country` and `events` are resolved by ParticipantResolver. */
@ObjectType()
export class Participant {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: "Stable, lower-case, hyphenated ASCII name: 'jaish-al-adl'." })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ParticipantKind)
  kind!: ParticipantKind;

  @Field(() => [String], { description: "Other names it is known by; search matches them too." })
  aliases!: string[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  countryId!: number | null;
}

export const { Edge: ParticipantEdge, Connection: ParticipantConnection } = connectionTypes(
  "Participant",
  Participant,
);
export type ParticipantConnection = InstanceType<typeof ParticipantConnection>;
