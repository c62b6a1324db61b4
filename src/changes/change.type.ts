import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ChangeKind } from "../generated/prisma/enums";
import { Source } from "../sources/source.type";

registerEnumType(ChangeKind, { name: "ChangeKind" });

@ObjectType()
export class FieldChange {
  @Field(() => String, {
    description:
      "The Event field that changed: 'title', 'timeWindow', 'participants', ... A change of deaths\nlists both 'deaths' and 'fatalities' (injuries: 'injuries' and 'injured').",
  })
  field!: string;

  @Field(() => String, { nullable: true, description: "The value before and after, as JSON text; null where there was none." })
  before!: string | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}

@ObjectType({ description: "One committed change to one event." })
export class EventRevision {
  @Field(() => Int, { description: "1 for the creation, then +1 with every change." })
  version!: number;

  @Field(() => ChangeKind)
  kind!: ChangeKind;

  @Field(() => Date)
  at!: Date;

  @Field(() => [FieldChange], { description: "Empty for CREATED and DELETED." })
  changes!: FieldChange[];

  @Field(() => Source, { nullable: true, description: "The article whose ingestion made the change, when one did." })
  source!: Source | null;
}
