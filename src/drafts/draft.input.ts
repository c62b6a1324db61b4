import { Field, InputType } from "type-graphql";
import { ArticleMetaInput } from "../sources/article-meta.input";

@InputType()
export class ArticleTextInput extends ArticleMetaInput {
  @Field(() => Date, { description: "Relative dates in the text ('on Thursday', 'last week') are resolved against it." })
  declare publishedAt: Date;

  @Field(() => String, { description: "Plain text, paragraphs separated by blank lines." })
  text!: string;
}
