import { Arg, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { ArticleTextInput } from "./draft.input";
import { ArticleDraft } from "./draft.type";

@Resolver()
export class DraftResolver {
  @Query(() => ArticleDraft, {
    description:
      "Draft events drawn from an article's text, for a person to review and pass to\ningestArticle. Writes nothing. Participants and places already stored are recognised\nby name and alias and given their slugs; new ones are proposed.",
  })
  draftArticle(@Arg("article", () => ArticleTextInput) article: ArticleTextInput, @Ctx() { services }: Context): Promise<ArticleDraft> {
    return services.drafts.draft(article);
  }
}
