import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Event } from "../events/event.type";
import { Source } from "../sources/source.type";
import { ArticleInput } from "./article.input";
import type { IngestResult as IngestOutcome } from "./ingest.service";

@ObjectType()
export class IngestResult {
  @Field(() => Source)
  source!: Source;

  @Field(() => [Event])
  events!: Event[];

  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int, { description: "Events retracted by retractMissing." })
  retracted!: number;
}

@Resolver()
export class IngestResolver {
  @Mutation(() => IngestResult)
  ingestArticle(@Arg("input", () => ArticleInput) input: ArticleInput, @Ctx() { auth, services }: Context): Promise<IngestOutcome> {
    auth.assertCanWrite();
    return services.ingest.ingest(input);
  }
}
