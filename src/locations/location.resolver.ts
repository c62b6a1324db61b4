import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { LocationKind } from "../generated/prisma/enums";
import { EventConnection } from "../events/event.type";
import { eventPage } from "../events/event-page";
import { EventListArgs } from "../events/event-list.args";
import { LocationInput } from "./location.input";
import { Location, LocationConnection } from "./location.type";

@Resolver(() => Location)
export class LocationResolver {
  @Query(() => Location, { nullable: true })
  location(@Arg("slug", () => String) slug: string, @Ctx() { services }: Context) {
    return services.locations.bySlug(slug);
  }

  @Query(() => LocationConnection)
  async locations(
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Arg("kind", () => LocationKind, { nullable: true }) kind: LocationKind | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() { services }: Context,
  ): Promise<LocationConnection> {
    return new LocationConnection(await services.locations.search(search, kind, { first, after }));
  }

  @Mutation(() => Location)
  upsertLocation(@Arg("input", () => LocationInput) input: LocationInput, @Ctx() { auth, services }: Context) {
    auth.assertCanWrite();
    return services.locations.upsert(input);
  }

  @FieldResolver(() => Location, { nullable: true })
  parent(@Root() location: Location, @Ctx() { loaders }: Context) {
    return location.parentId == null ? null : loaders.location.load(location.parentId);
  }

  @FieldResolver(() => [Location])
  children(@Root() location: Location, @Ctx() { loaders }: Context) {
    return loaders.locationChildren.load(location.id);
  }

  @FieldResolver(() => EventConnection, { description: "Events here or anywhere within." })
  async events(
    @Root() location: Location,
    @Args(() => EventListArgs) args: EventListArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    const criteria = await context.services.filters.resolve(args.filter, { locationSlug: location.slug });
    return eventPage(context, info, criteria, args.order, args);
  }
}
