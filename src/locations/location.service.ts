import type { LocationKind } from "../generated/prisma/enums";
import type { DbClient } from "../db/database";
import { inWriteTransaction } from "../db/transactions";
import type { Page, PageArgs } from "../common/connection";
import { badUserInput } from "../common/errors";
import { group } from "../common/group";
import { searchByName, type Ranked } from "../common/name-search";
import { upsertLocation } from "./location-write";
import { locationColumns, locationSelect } from "./location.columns";
import type { LocationInput } from "./location.input";
import type { Location } from "./location.type";

export class LocationService {
  constructor(private readonly prisma: DbClient) {}

  /** Creates or updates a location by slug (upsertLocation mutation). */
  async upsert(input: LocationInput): Promise<Location> {
    const { location } = await inWriteTransaction(this.prisma, (tx) => upsertLocation(tx, input, "input"));
    return location;
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
