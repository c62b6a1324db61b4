import { Field, InputType } from "type-graphql";

/** What names and dates an article, shared by the inputs that bring one (ArticleInput, ArticleTextInput). */
@InputType()
export class ArticleMetaInput {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  publisher?: string | null;

  @Field(() => String, { nullable: true })
  author?: string | null;

  @Field(() => Date)
  publishedAt!: Date;
}
