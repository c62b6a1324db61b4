import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { DateTimeScalar } from "./common/scalars";
import { IngestResolver } from "./ingest/ingest.resolver";
import { EventResolver } from "./events/event.resolver";
import { EventChangedResolver, unusedPubSub } from "./live/event-changed.resolver";
import { LocationResolver } from "./locations/location.resolver";
import { ParticipantResolver } from "./participants/participant.resolver";
import { SourceResolver } from "./sources/source.resolver";
import { StatsResolver } from "./stats/stats.resolver";
import { TimelineResolver } from "./timeline/timeline.resolver";
import { FeedResolver } from "./live/feed.resolver";
import { DraftResolver } from "./drafts/draft.resolver";

let schema: Promise<GraphQLSchema> | undefined;

/** The served schema, built once per process: type-graphql's metadata is global anyway. */
export function buildTimelineSchema(): Promise<GraphQLSchema> {
  return (schema ??= buildSchema({
    resolvers: [TimelineResolver, EventResolver, ParticipantResolver, LocationResolver, SourceResolver, IngestResolver, EventChangedResolver, StatsResolver, FeedResolver, DraftResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub: unusedPubSub,
  }));
}
