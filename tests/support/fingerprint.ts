import type { TestApp } from "./test-app";

const TABLES = {
  events: "id",
  participants: "id",
  locations: "id",
  sources: "id",
  event_participants: "event_id, participant_id, role",
  event_sources: "event_id, source_id",
  event_links: "effect_id, cause_id",
  event_claims: "event_id, position",
  event_changes: "seq",
} as const;

/**
 * A digest of every row of every table, timestamps included: equal before and after a refused
 * write means the write left the database exactly as it was.
 */
export async function fingerprint(app: TestApp): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const [row] = await app.db.prisma.$queryRawUnsafe<Array<{ digest: string | null; count: number }>>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS digest, count(*)::int AS count FROM ${table} t`,
    );
    digests[table] = `${row.count}:${row.digest}`;
  }
  return digests;
}
