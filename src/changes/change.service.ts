import type { DbClient } from "../db/database";
import type { ChangeKind } from "../generated/prisma/enums";
import { sourceJson, sourcesFromJson, type SourceJson } from "../sources/source.columns";
import type { StoredFieldChange } from "./change-log";
import type { EventRevision, FieldChange } from "./change.type";

/** A stored field change as served: its values as JSON text, null where there was none. */
export function servedFieldChange({ field, before, after }: StoredFieldChange): FieldChange {
  const text = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return { field, before: text(before), after: text(after) };
}

/** Reads of the change log (src/changes/change-log.ts writes it). */
export class ChangeService {
  constructor(private readonly prisma: DbClient) {}

  /** For each event id, every change to it, oldest first: one statement for any number of events. */
  async revisionsOf(eventIds: readonly number[]): Promise<Map<number, EventRevision[]>> {
    const rows = await this.prisma.$queryRaw<
      Array<{ eventId: number; version: number; kind: ChangeKind; at: Date; fields: StoredFieldChange[]; source: SourceJson | null }>
    >`
      SELECT c.event_id AS "eventId", c.version, c.kind, c.at, c.fields,
             CASE WHEN s.id IS NULL THEN NULL ELSE ${sourceJson("s")} END AS source
      FROM event_changes c LEFT JOIN sources s ON s.id = c.source_id
      WHERE c.event_id = ANY(${[...eventIds]}::int[])
      ORDER BY c.event_id, c.version`;
    const revisions = new Map<number, EventRevision[]>();
    for (const row of rows) {
      const list = revisions.get(row.eventId) ?? [];
      list.push({
        version: row.version,
        kind: row.kind,
        at: row.at,
        changes: row.fields.map(servedFieldChange),
        source: row.source ? sourcesFromJson([row.source])[0] : null,
      });
      revisions.set(row.eventId, list);
    }
    return revisions;
  }
}
