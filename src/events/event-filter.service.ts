import { badUserInput } from "../common/errors";
import { boundedList, searchTerm } from "../common/validate";
import { checkBox, checkCircle } from "../locations/geo.input";
import type { LocationService } from "../locations/location.service";
import type { ParticipantService } from "../participants/participant.service";
import { emptyCriteria, type EventCriteria } from "./event-criteria";
import type { TimelineFilter } from "./event-filter.input";

const MAX_SEARCH_LENGTH = 200;

/** A fixed restriction added to a client's filter: Participant.events and Location.events. */
export interface FilterScope {
  participantId?: number;
  locationSlug?: string;
}

/**
 * The shared event filter (TimelineFilter) turned into criteria the event queries take: checked,
 * its slugs resolved once per request (a location's subtree with one recursive CTE). The
 * timeline, nested event lists, dashboard figures, live updates and exports all use it.
 */
export class EventFilterService {
  constructor(
    private readonly participants: ParticipantService,
    private readonly locations: LocationService,
  ) {}

  /** Validates a client's filter and resolves its slugs; unknown slugs are BAD_USER_INPUT naming them. */
  async resolve(filter: TimelineFilter | null | undefined, scope: FilterScope = {}): Promise<EventCriteria> {
    const criteria = emptyCriteria();
    if (scope.participantId) criteria.participantSets.push([scope.participantId]);
    if (scope.locationSlug) criteria.locationSets.push(await this.locations.subtreeIds([scope.locationSlug]));
    if (!filter) return criteria;

    if (filter.from) {
      criteria.from = filter.from.start;
      criteria.fromCalendar = filter.from.precision !== "TIME";
    }
    if (filter.to) {
      criteria.to = filter.to.end;
      criteria.toCalendar = filter.to.precision !== "TIME";
    }
    if (filter.dateMatch) criteria.dateMatch = filter.dateMatch;
    if (filter.from && filter.to && filter.from.start >= filter.to.end) {
      throw badUserInput("filter.from must not be after filter.to", "filter.from");
    }
    const categories = boundedList(filter.categories, "filter.categories");
    if (categories.length) criteria.categories = categories;
    const statuses = boundedList(filter.statuses, "filter.statuses");
    if (statuses.length) criteria.statuses = statuses;

    const participantSlugs = boundedList(filter.participants, "filter.participants");
    if (participantSlugs.length) {
      criteria.participantSets.push(await this.participants.idsBySlugs(participantSlugs, "filter.participants"));
    }
    const roles = boundedList(filter.roles, "filter.roles");
    if (roles.length) criteria.roles = roles;
    const locationSlugs = boundedList(filter.locations, "filter.locations");
    if (locationSlugs.length) {
      const { ids, root } = await this.locations.subtree(locationSlugs, "filter.locations");
      criteria.locationSets.push(ids);
      if (root !== null && criteria.locationSets.length === 1) criteria.locationRoot = root;
    }
    // Each area is one more "at any of these places" constraint, like a locations list.
    if (filter.near) criteria.locationSets.push(await this.locations.idsInArea({ circle: checkCircle(filter.near, "filter.near") }));
    if (filter.box) criteria.locationSets.push(await this.locations.idsInArea({ box: checkBox(filter.box, "filter.box") }));
    if (filter.minFatalities != null) {
      if (filter.minFatalities < 0) throw badUserInput("filter.minFatalities must not be negative", "filter.minFatalities");
      criteria.minFatalities = filter.minFatalities;
    }
    const search = searchTerm(filter.search, "filter.search", MAX_SEARCH_LENGTH);
    if (search) criteria.search = search;
    return criteria;
  }
}
