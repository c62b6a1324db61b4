import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Event } from "../events/event.type";
import { Source } from "./source.type";

@Resolver(() => Source)
export class SourceResolver {
  @FieldResolver(() => [Event])
  events(@Root() source: Source, @Ctx() { loaders }: Context) {
    return loaders.sourceEvents.load(source.id);
  }
}
