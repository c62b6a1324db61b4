import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import { selectsAny } from "../common/selection";
import type { Context } from "../context";
import { LocationKind } from "../generated/prisma/enums";
import { TimelineFilter } from "../events/event-filter.input";
import { BucketsArgs, TopLocationsArgs, TopParticipantsArgs } from "./stats.args";
import {
  CategoryCount,
  LocationCount,
  ParticipantCount,
  TimelineBucket,
  TimelineStats,
  type StatsSummary,
} from "./stats.type";

const SUM = "Sum over events with a known figure; 0 when none has one.";
const BUCKETS =
  "Contiguous buckets, empty ones included, covering the filter's from..to when given (and every bucket an event " +
  "counts in), else the matching events' windows; none when there is none of these. An event counts in a bucket's " +
  "`count` only when its whole time window lies in that bucket, so sum(count) + imprecise(interval) = count; " +
  "otherwise it is `uncertain` in each bucket its window reaches. Days, weeks, months and years are cut in " +
  "`timeZone`, an IANA name such as 'Asia/Karachi' (UTC by default; an unknown name is a BAD_USER_INPUT error). " +
  "Dates of DAY, MONTH or YEAR precision are calendar dates: a time zone moves only window ends that are instants. " +
  "More than 5000 buckets is a BAD_USER_INPUT error.";

@Resolver(() => TimelineStats)
export class StatsResolver {
  @Query(() => TimelineStats)
  async timelineStats(
    @Arg("filter", () => TimelineFilter, { nullable: true }) filter: TimelineFilter | null,
    @Ctx() { services }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TimelineStats> {
    const stats = new TimelineStats(await services.filters.resolve(filter));
    // first and last need the events themselves; the statement that reads them has the count
    // and sums too, so a request for both reads the events once rather than the rollups as well.
    stats.datesWanted = selectsAny(info, "TimelineStats", ["first", "last"]);
    return stats;
  }

  @FieldResolver(() => Int, { description: "Events that match the filter." })
  async count(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<number> {
    return (await totalsOf(stats, context)).count;
  }

  @FieldResolver(() => Int, { description: "Sum of the deaths' best figures (deaths.best) over events with a known figure; 0 when none has one." })
  async fatalities(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<number> {
    return (await totalsOf(stats, context)).fatalities;
  }

  @FieldResolver(() => Int, { description: SUM })
  async injured(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<number> {
    return (await totalsOf(stats, context)).injured;
  }

  @FieldResolver(() => Int, { description: "Sums of the deaths' low and high estimates (a missing high counts as its best, then its low)." })
  async fatalitiesLow(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<number> {
    return (await summaryOf(stats, context)).fatalitiesLow;
  }

  @FieldResolver(() => Int)
  async fatalitiesHigh(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<number> {
    return (await summaryOf(stats, context)).fatalitiesHigh;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "The earliest possible start of the matching events (their windows' earliest); null when none match.",
  })
  async first(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<Date | null> {
    return (await summaryOf(stats, context)).first;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "The latest possible start of the matching events (their windows' latest); null when none match.",
  })
  async last(@Root() stats: TimelineStats, @Ctx() context: Context): Promise<Date | null> {
    return (await summaryOf(stats, context)).last;
  }

  @FieldResolver(() => [TimelineBucket], { description: BUCKETS })
  buckets(
    @Root() stats: TimelineStats,
    @Args(() => BucketsArgs) { interval, timeZone }: BucketsArgs,
    @Ctx() { services }: Context,
  ): Promise<TimelineBucket[]> {
    return services.stats.buckets(stats.criteria, interval, timeZone ?? "UTC");
  }

  @FieldResolver(() => Int, { description: "Matching events whose window spans more than one bucket of this interval." })
  imprecise(
    @Root() stats: TimelineStats,
    @Args(() => BucketsArgs) { interval, timeZone }: BucketsArgs,
    @Ctx() { services }: Context,
  ): Promise<number> {
    return services.stats.imprecise(stats.criteria, interval, timeZone ?? "UTC");
  }

  @FieldResolver(() => [CategoryCount], {
    description: "Every category with a matching event: most events first, then by name.",
  })
  byCategory(@Root() stats: TimelineStats, @Ctx() { services }: Context): Promise<CategoryCount[]> {
    return services.stats.byCategory(stats.criteria);
  }

  @FieldResolver(() => [ParticipantCount], {
    description: "Participants by the number of matching events they are involved in, then by name; `limit` from 1 to 100.",
  })
  topParticipants(
    @Root() stats: TimelineStats,
    @Args(() => TopParticipantsArgs) { limit }: TopParticipantsArgs,
    @Ctx() { services }: Context,
  ): Promise<ParticipantCount[]> {
    return services.stats.topParticipants(stats.criteria, limit ?? 10);
  }

  @FieldResolver(() => [LocationCount], {
    description:
      "Locations of `kind` by the number of matching events there or anywhere within (an event at a site counts for " +
      "its city, region and country), then by name; events with no location of that kind above them are left out. " +
      "`limit` from 1 to 100.",
  })
  topLocations(
    @Root() stats: TimelineStats,
    @Args(() => TopLocationsArgs) { limit, kind }: TopLocationsArgs,
    @Ctx() { services }: Context,
  ): Promise<LocationCount[]> {
    return services.stats.topLocations(stats.criteria, limit ?? 10, kind ?? LocationKind.COUNTRY);
  }
}

/** The count, sums and dates, computed once however many of them the request asks for. */
function summaryOf(stats: TimelineStats, { services }: Context): Promise<StatsSummary> {
  return (stats.summary ??= services.stats.summary(stats.criteria));
}

/** The count and sums: from the rollups when they answer the filter and no date is asked for, else with the dates. */
function totalsOf(stats: TimelineStats, context: Context): Promise<Pick<StatsSummary, "count" | "fatalities" | "injured">> {
  return (stats.totals ??= (!stats.datesWanted && context.services.stats.rollupTotals(stats.criteria)) || summaryOf(stats, context));
}
