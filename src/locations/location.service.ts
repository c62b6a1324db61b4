import { Prisma } from "../generated/prisma/client";
import type { LocationKind } from "../generated/prisma/enums";
import type { DbClient } from "../db/database";
import { inWriteTransaction } from "../db/transactions";
import type { Page, PageArgs } from "../common/connection";
import { badUserInput } from "../common/errors";
import { group } from "../common/group";
import { searchByName, type Ranked } from "../common/name-search";
import { upsertLocation } from "./location-write";
import { locationColumns, locationSelect } from "./location.columns";
import type { GeoBoxInput, GeoCircleInput } from "./geo.input";
import type { LocationInput } from "./location.input";
import type { Location } from "./location.type";

/** earthdistance's radius of the Earth (earth()), in km: distances here are on its sphere. */
const EARTH_RADIUS_KM = 6378.168;

/**
 * The smallest latitude/longitude box holding a circle (a little more, for rounding): a band
 * of latitudes, and the longitudes of the circle's widest point, or all of them when the circle
 * reaches a pole. West may come out east of east: the box then crosses the antimeridian.
 */
function boxAround({ latitude, longitude, radiusKm }: GeoCircleInput): GeoBoxInput {
  const MARGIN = 1e-6;
  const angle = radiusKm / EARTH_RADIUS_KM;
  const degrees = (radians: number) => (radians * 180) / Math.PI;
  const south = latitude - degrees(angle) - MARGIN;
  const north = latitude + degrees(angle) + MARGIN;
  if (south <= -90 || north >= 90) return { south: Math.max(south, -90), north: Math.min(north, 90), west: -180, east: 180 };
  const spread = degrees(Math.asin(Math.min(1, Math.sin(angle) / Math.cos((latitude * Math.PI) / 180)))) + MARGIN;
  if (spread >= 180) return { south, north, west: -180, east: 180 };
  const wrap = (value: number) => (value < -180 ? value + 360 : value > 180 ? value - 360 : value);
  return { south, north, west: wrap(longitude - spread), east: wrap(longitude + spread) };
}

/**
 * ll_to_earth() of two coordinates, those within 1e-9 degrees (0.1 mm) of zero read as zero:
 * radians() of a subnormal one (5e-324, which a client may send and is stored as sent)
 * underflows, and Postgres raises an error on underflow.
 */
function earthPoint(latitude: Prisma.Sql, longitude: Prisma.Sql): Prisma.Sql {
  const flushed = (value: Prisma.Sql) => Prisma.sql`CASE WHEN abs(${value}) < 1e-9 THEN 0 ELSE ${value} END`;
  return Prisma.sql`ll_to_earth(${flushed(latitude)}, ${flushed(longitude)})`;
}


/** A stored place as the drafter recognises it in an article's text. */
export interface KnownLocation {
  slug: string;
  name: string;
  kind: LocationKind;
  aliases: string[];
  parent: string | null;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
}
export class LocationService {
  constructor(private readonly prisma: DbClient) {}

  /** Creates or updates a location by slug (upsertLocation mutation). */
  async upsert(input: LocationInput): Promise<Location> {
    const { location } = await inWriteTransaction(this.prisma, (tx) => upsertLocation(tx, input, "input"));
    return location;
  }

  /** Places stored under any of these names or aliases (lower case), with their parent's slug: what the drafter recognises. */
  named(names: readonly string[]): Promise<KnownLocation[]> {
    if (!names.length) return Promise.resolve([]);
    return this.prisma.$queryRaw<KnownLocation[]>`
      SELECT l.slug, l.name, l.kind::text AS kind, l.aliases, p.slug AS parent, l.country_code AS "countryCode", l.latitude, l.longitude
      FROM locations l LEFT JOIN locations p ON p.id = l.parent_id
      WHERE lower(l.name) = ANY(${names}::text[])
         OR EXISTS (SELECT 1 FROM unnest(l.aliases) AS alias WHERE lower(alias) = ANY(${names}::text[]))`;
  }

  bySlug(slug: string): Promise<Location | null> {
    return this.prisma.location.findUnique({ where: { slug }, select: locationSelect });
  }

  async byIds(ids: readonly number[]): Promise<Map<number, Location>> {
    const rows = await this.prisma.location.findMany({ where: { id: { in: [...ids] } }, select: locationSelect });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** For each location id, the locations directly within it, alphabetically. */
  async childrenOf(ids: readonly number[]): Promise<Map<number, Location[]>> {
    const rows = await this.prisma.location.findMany({
      where: { parentId: { in: [...ids] } },
      select: locationSelect,
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
    return group(rows, (row) => row.parentId!, (row) => row);
  }

  /**
   * The ids of these locations and of everything within them, walked with one recursive CTE.
   * Resolved once per request so that the page query filters on a plain id list.
   * Any unknown slug is BAD_USER_INPUT naming it.
   */
  async subtreeIds(slugs: readonly string[], field = "location"): Promise<number[]> {
    return (await this.subtree(slugs, field)).ids;
  }

  /**
   * subtreeIds, and the location itself when it is one root (a location without a parent, such
   * as a country): the dashboard reads rollups kept per root (StatsService.topParticipants).
   */
  async subtree(slugs: readonly string[], field = "location"): Promise<{ ids: number[]; root: number | null }> {
    const rows = await this.prisma.$queryRaw<Array<{ id: number; root: string; depth: number; parentless: boolean }>>`
      WITH RECURSIVE subtree(id, root, depth, parentless) AS (
        SELECT id, slug, 0, parent_id IS NULL FROM locations WHERE slug = ANY(${[...slugs]}::text[])
        UNION
        SELECT l.id, s.root, s.depth + 1, false FROM locations l JOIN subtree s ON l.parent_id = s.id
        WHERE s.depth < 16
      )
      SELECT id, root, depth, parentless FROM subtree`;
    const tops = rows.filter((row) => row.depth === 0);
    const roots = new Set(tops.map((row) => row.root));
    const unknown = slugs.filter((slug) => !roots.has(slug));
    if (unknown.length) {
      throw badUserInput(`${field}: unknown location ${unknown.map((slug) => `"${slug}"`).join(", ")}`, field);
    }
    const root = tops.length === 1 && tops[0].parentless ? tops[0].id : null;
    return { ids: [...new Set(rows.map((row) => row.id))], root };
  }

  /**
   * The ids of the locations whose coordinates lie within the circle (great-circle distance,
   * earthdistance's earth_distance) or inside the box, a location without coordinates taking its
   * nearest ancestor's: the located places found through the (latitude, longitude) index (a
   * circle through the box around it), then their descendants that have none of their own.
   */
  async idsInArea(area: { circle: GeoCircleInput } | { box: GeoBoxInput }): Promise<number[]> {
    const box = "box" in area ? area.box : boxAround(area.circle);
    const longitudes =
      box.west <= box.east
        ? Prisma.sql`longitude BETWEEN ${box.west}::float8 AND ${box.east}::float8`
        : Prisma.sql`(longitude >= ${box.west}::float8 OR longitude <= ${box.east}::float8)`;
    let distance = Prisma.empty;
    if ("circle" in area) {
      const { latitude, longitude, radiusKm } = area.circle;
      // At least a micrometre: a subnormal radius would underflow, an error in Postgres.
      const metres = Math.max(radiusKm * 1000, 1e-6);
      distance = Prisma.sql`AND earth_distance(${earthPoint(Prisma.sql`${latitude}::float8`, Prisma.sql`${longitude}::float8`)},
                                               ${earthPoint(Prisma.sql`latitude`, Prisma.sql`longitude`)}) <= ${metres}::float8`;
    }
    const located = Prisma.sql`
      SELECT id FROM locations
      WHERE latitude BETWEEN ${box.south}::float8 AND ${box.north}::float8 AND longitude IS NOT NULL AND ${longitudes} ${distance}`;
    const rows = await this.prisma.$queryRaw<Array<{ id: number }>>`
      WITH RECURSIVE inside(id, depth) AS (
        SELECT id, 0 FROM (${located}) l
        UNION
        SELECT c.id, i.depth + 1 FROM locations c JOIN inside i ON c.parent_id = i.id
        WHERE (c.latitude IS NULL OR c.longitude IS NULL) AND i.depth < 16
      )
      SELECT DISTINCT id FROM inside`;
    return rows.map((row) => row.id);
  }

  search(search: string | null | undefined, kind: LocationKind | null | undefined, args: PageArgs): Promise<Page<Location & Ranked>> {
    return searchByName<Location>(
      this.prisma,
      { table: "locations", kindType: "LocationKind", columns: locationColumns("t") },
      search,
      kind,
      args,
    );
  }
}
