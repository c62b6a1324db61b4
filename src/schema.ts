import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { DateTimeScalar } from "./common/scalars";
import { ArticleInput } from "./ingest/article.input";
import { EventResolver } from "./events/event.resolver";
import { LocationResolver } from "./locations/location.resolver";
import { ParticipantResolver } from "./participants/participant.resolver";
import { SourceResolver } from "./sources/source.resolver";
import { TimelineResolver } from "./timeline/timeline.resolver";

let schema: Promise<GraphQLSchema> | undefined;

/** The served schema, built once per process: type-graphql's metadata is global anyway. */
export function buildTimelineSchema(): Promise<GraphQLSchema> {
  return (schema ??= buildSchema({
    resolvers: [TimelineResolver, EventResolver, ParticipantResolver, LocationResolver, SourceResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // ArticleInput is served before the mutation that takes it, so files can be checked against it.
    orphanedTypes: [ArticleInput],
    validate: false,
  }));
}
