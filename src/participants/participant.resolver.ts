import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { ParticipantKind } from "../generated/prisma/enums";
import { EventConnection } from "../events/event.type";
import { eventPage } from "../events/event-page";
import { Location } from "../locations/location.type";
import { EventListArgs } from "../events/event-list.args";
import { ParticipantInput } from "./participant.input";
import { Participant, ParticipantConnection } from "./participant.type";

@Resolver(() => Participant)
export class ParticipantResolver {
  @Query(() => Participant, { nullable: true })
  participant(@Arg("slug", () => String) slug: string, @Ctx() { services }: Context) {
    return services.participants.bySlug(slug);
  }

  @Query(() => ParticipantConnection, { description: "Name or alias search, best match first." })
  async participants(
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Arg("kind", () => ParticipantKind, { nullable: true }) kind: ParticipantKind | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() { services }: Context,
  ): Promise<ParticipantConnection> {
    return new ParticipantConnection(await services.participants.search(search, kind, { first, after }));
  }

  @Mutation(() => Participant)
  upsertParticipant(@Arg("input", () => ParticipantInput) input: ParticipantInput, @Ctx() { auth, services }: Context) {
    auth.assertCanWrite();
    return services.participants.upsert(input);
  }

  @FieldResolver(() => Location, { nullable: true, description: "The country it belongs to, if any." })
  country(@Root() participant: Participant, @Ctx() { loaders }: Context) {
    return participant.countryId == null ? null : loaders.location.load(participant.countryId);
  }

  @FieldResolver(() => EventConnection)
  async events(
    @Root() participant: Participant,
    @Args(() => EventListArgs) args: EventListArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    const criteria = await context.services.filters.resolve(args.filter, { participantId: participant.id });
    return eventPage(context, info, criteria, args.order, args);
  }
}
