import { Field, ID, ObjectType } from "type-graphql";

/** A news article that events are drawn from; `events` is resolved by SourceResolver. */
@ObjectType()
export class Source {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  url!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  publisher!: string | null;

  @Field(() => String, { nullable: true })
  author!: string | null;

  @Field(() => Date)
  publishedAt!: Date;
}
