import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { formatPartialDate } from "../common/partial-date";
import { PartialDateScalar } from "../common/scalars";
import { Location } from "../locations/location.type";
import { Source } from "../sources/source.type";
import { EventInput, EventUpdateInput } from "./event.input";
import { Event, EventParticipant, TimeWindow } from "./event.type";
import { EventRevision } from "../changes/change.type";
import { Claim } from "./claim";
import { servedToll, Toll } from "./toll";
import type { EventRow, EventWithRelations } from "./event.columns";

@Resolver(() => Event)
export class EventResolver {
  @Query(() => Event, { nullable: true })
  event(@Arg("id", () => ID) id: string, @Ctx() { services }: Context): Promise<EventRow | null> {
    return services.events.byId(id);
  }

  @Mutation(() => Event)
  createEvent(@Arg("input", () => EventInput) input: EventInput, @Ctx() { auth, services }: Context): Promise<EventRow> {
    auth.assertCanWrite();
    return services.eventWrites.create(input);
  }

  @Mutation(() => Event)
  updateEvent(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => EventUpdateInput) input: EventUpdateInput,
    @Ctx() { auth, services }: Context,
  ): Promise<EventRow> {
    auth.assertCanWrite();
    return services.eventWrites.update(id, input);
  }

  @Mutation(() => Boolean)
  deleteEvent(@Arg("id", () => ID) id: string, @Ctx() { auth, services }: Context): Promise<boolean> {
    auth.assertCanWrite();
    return services.eventWrites.delete(id);
  }

  @FieldResolver(() => PartialDateScalar, { description: "The date as known, at its precision." })
  date(@Root() event: EventRow): string {
    return formatPartialDate({ start: event.occurredAt, precision: event.precision });
  }

  @FieldResolver(() => TimeWindow, {
    description:
      "When it started, narrowed by explicit bounds, its sources' publication dates and its causal links. The timeline orders " +
      "events by `timeWindow.earliest` and never places an event before an event it responded to.",
  })
  timeWindow(@Root() event: EventRow): TimeWindow {
    const { earliest, latest, earliestBound, latestBound } = event;
    return { earliest, latest, earliestBound, latestBound };
  }

  @FieldResolver(() => Toll, { nullable: true, description: "Deaths as reported, with their qualifier and range; null when unknown." })
  deaths(@Root() event: EventRow): Toll | null {
    return servedToll({ best: event.fatalities, low: event.deathsLow, high: event.deathsHigh, qualifier: event.deathsQualifier, text: event.deathsText });
  }

  @FieldResolver(() => Toll, { nullable: true })
  injuries(@Root() event: EventRow): Toll | null {
    return servedToll({ best: event.injured, low: event.injuriesLow, high: event.injuriesHigh, qualifier: event.injuriesQualifier, text: event.injuriesText });
  }

  // What the row already holds is returned as it is, not through its (primed) loader: a value
  // rather than a promise keeps graphql-js on its synchronous path for the whole event.

  @FieldResolver(() => Location, { nullable: true })
  location(@Root() event: EventWithRelations, @Ctx() { loaders }: Context) {
    if (event.locationId == null) return null;
    return event.location ?? loaders.location.load(event.locationId);
  }

  @FieldResolver(() => [EventParticipant])
  participants(@Root() event: EventWithRelations, @Ctx() { loaders }: Context) {
    return event.participants ?? loaders.eventParticipants.load(event.id);
  }

  @FieldResolver(() => [Source])
  sources(@Root() event: EventWithRelations, @Ctx() { loaders }: Context) {
    return event.sources ?? loaders.eventSources.load(event.id);
  }

  @FieldResolver(() => [Claim], { description: "Each party's account of it, with the figures each gave." })
  claims(@Root() event: EventRow, @Ctx() { loaders }: Context) {
    return loaders.eventClaims.load(event.id);
  }

  @FieldResolver(() => [EventRevision], { description: "Every change to it, oldest first." })
  revisions(@Root() event: EventRow, @Ctx() { loaders }: Context) {
    return loaders.eventRevisions.load(event.id);
  }

  @FieldResolver(() => [Event], { description: "Events this one responded to or was caused by." })
  causes(@Root() event: EventWithRelations, @Ctx() { loaders }: Context) {
    return event.causes ?? loaders.eventCauses.load(event.id);
  }

  @FieldResolver(() => [Event], { description: "Events that responded to or were caused by this one." })
  consequences(@Root() event: EventRow, @Ctx() { loaders }: Context) {
    return loaders.eventConsequences.load(event.id);
  }
}
