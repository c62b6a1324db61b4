import type { ChangeFeed } from "./live/change-feed";
import type { Database } from "./db/database";
import { listLoader, rowLoader } from "./common/loaders";
import { ChangeService } from "./changes/change.service";
import { ClaimService } from "./events/claim.service";
import { EventService } from "./events/event.service";
import { EventWriteService } from "./events/event-write.service";
import { IngestService } from "./ingest/ingest.service";
import { EventChangesService } from "./live/event-changes.service";
import { FeedService } from "./live/feed.service";
import type { FeedHub } from "./live/feed-hub";
import { LocationService } from "./locations/location.service";
import { ParticipantService } from "./participants/participant.service";
import { SourceService } from "./sources/source.service";
import { StatsService } from "./stats/stats.service";
import type { DateRules } from "./events/event-dates";
import { EventFilterService } from "./events/event-filter.service";
import { EventListService } from "./events/event-list.service";
import { DraftService } from "./drafts/draft.service";

/**
 * The services: stateless over the database, built once per server, over the primary; a server
 * with read replicas builds one more set over each (`reader`) for query operations, which only
 * ever call their reads.
 */
export function createServices(db: Database, changes: ChangeFeed, dates: DateRules, reader: Database["prisma"] = db.prisma, hub?: FeedHub) {
  const prisma = reader;
  const participants = new ParticipantService(prisma);
  const locations = new LocationService(prisma);
  const filters = new EventFilterService(participants, locations);
  return {
    events: new EventService(prisma),
    eventWrites: new EventWriteService(prisma, changes, dates),
    ingest: new IngestService(prisma, dates, changes),
    participants,
    locations,
    sources: new SourceService(prisma),
    claims: new ClaimService(prisma),
    changeLog: new ChangeService(prisma),
    feed: new FeedService(prisma),
    /** The process's live feed (one per server, over the primary), for timelineChanged. */
    feedHub: hub ?? null,
    filters,
    eventLists: new EventListService(prisma),
    changes,
    eventChanges: new EventChangesService(filters, hub ?? null),
    stats: new StatsService(prisma),
    drafts: new DraftService(participants, locations),
  };
}
export type Services = ReturnType<typeof createServices>;

/** Fresh DataLoaders for each request, so batching never serves one request's rows to another. */
export function createLoaders(services: Services) {
  return {
    location: rowLoader((ids) => services.locations.byIds(ids)),
    locationChildren: listLoader((ids) => services.locations.childrenOf(ids)),
    eventParticipants: listLoader((ids) => services.participants.ofEvents(ids)),
    eventSources: listLoader((ids) => services.sources.ofEvents(ids)),
    eventClaims: listLoader((ids) => services.claims.ofEvents(ids)),
    eventRevisions: listLoader((ids) => services.changeLog.revisionsOf(ids)),
    event: rowLoader((ids) => services.events.byIds(ids)),
    eventCauses: listLoader((ids) => services.events.causesOf(ids)),
    eventConsequences: listLoader((ids) => services.events.consequencesOf(ids)),
    sourceEvents: listLoader((ids) => services.events.eventsOfSources(ids)),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

