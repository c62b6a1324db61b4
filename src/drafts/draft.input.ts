import { Field, InputType } from "type-graphql";

@InputType()
export class ArticleTextInput {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  publisher?: string | null;

  @Field(() => String, { nullable: true })
  author?: string | null;

  @Field(() => Date, { description: "Relative dates in the text ('on Thursday', 'last week') are resolved against it." })
  publishedAt!: Date;

  @Field(() => String, { description: "Plain text, paragraphs separated by blank lines." })
  text!: string;
}
