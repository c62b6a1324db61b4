import { Prisma } from "../generated/prisma/client";
import type { DbClient } from "../db/database";
import type { ChangeKind } from "../generated/prisma/enums";
import { pageWindow, toPage, type Page } from "../common/connection";
import { decodeCursor, encodeCursor } from "../common/cursor";
import { badUserInput } from "../common/errors";
import { criteriaSql, recordedState, type EventCriteria } from "../events/event-criteria";
import type { StoredFieldChange } from "../changes/change-log";
import { comparePositions, prunedUpTo, type FeedPosition } from "../changes/change-pruning";
import { GraphQLError } from "graphql";
import { ErrorCode } from "../common/errors";
import type { EventChange } from "./feed.types";

export type { FeedPosition };

/** An entry of the log as the feed reads it. */
export interface EntryRow {
  txid: string;
  seq: string;
  kind: ChangeKind;
  eventId: number;
  version: number;
  at: Date;
  fields: StoredFieldChange[];
}

const DIGITS = /^\d{1,20}$/;

/** A feed position as an opaque cursor, and back (BAD_USER_INPUT for one this server could not have issued). */
export const feedCursor = ({ txid, seq }: FeedPosition) => encodeCursor(["feed", txid, seq]);

export function feedPosition(cursor: string, argument = "after"): FeedPosition {
  const [tag, txid, seq] = decodeCursor(cursor, "sss", argument) as string[];
  if (tag !== "feed" || !DIGITS.test(txid) || !DIGITS.test(seq)) throw badUserInput(`${argument}: not a cursor of the change feed`, argument);
  return { txid, seq };
}

/**
 * Reads the change log (event_changes) in feed order. An entry's sequence number is taken when
 * it is inserted, not when its transaction commits, so entries can commit out of order; a reader
 * therefore takes only entries of transactions older than every transaction still running
 * (below pg_snapshot_xmin of its snapshot, all committed or gone) and orders them by
 * (transaction id, seq): whatever commits later has a transaction id at or above that horizon, so
 * it sorts after everything already read and no reader ever skips it. The horizon is the
 * server's, not the database's: a long transaction anywhere on it (another database's too)
 * holds the feed back until it ends. (PGlite has one connection, so its writers run one at a
 * time and the horizon is never behind.)
 */
export class FeedService {
  constructor(private readonly prisma: DbClient) {}

  /** The entries after `after` (from the start without), matching the criteria before or after their change. */
  async page(args: { after?: string | null; first?: number | null }, criteria: EventCriteria | null): Promise<Page<EventChange>> {
    const window = pageWindow({ first: args.first, after: null }, "");
    const from = args.after == null ? null : feedPosition(args.after);
    if (from) await this.assertKept(from);
    const rows = await this.read(from, window.size + 1, criteria);
    return toPage(rows.map(toChange), window, (change) => change.cursor, async () => 0, async () => from !== null);
  }

  /** CURSOR_EXPIRED for a cursor from before where the log was pruned: entries after it are gone. */
  async assertKept(from: FeedPosition): Promise<void> {
    const horizon = await prunedUpTo(this.prisma);
    if (horizon && comparePositions(from, horizon) < 0) {
      throw new GraphQLError(
        "after: the change log no longer holds the changes after this cursor (it was pruned); read the timeline afresh and follow the feed from changes' endCursor",
        { extensions: { code: ErrorCode.CURSOR_EXPIRED, field: "after" } },
      );
    }
  }

  private read(from: FeedPosition | null, limit: number, criteria: EventCriteria | null): Promise<EntryRow[]> {
    const after = from ? Prisma.sql`AND (c.txid, c.seq) > (${from.txid}::xid8, ${from.seq}::bigint)` : Prisma.empty;
    const matches = criteria ? Prisma.sql`AND ${entryMatches(criteria)}` : Prisma.empty;
    return this.prisma.$queryRaw<EntryRow[]>`
      SELECT c.txid::text AS txid, c.seq::text AS seq, c.kind, c.event_id AS "eventId", c.version, c.at, c.fields
      FROM event_changes c
      WHERE c.txid < pg_snapshot_xmin(pg_current_snapshot()) ${after} ${matches}
      ORDER BY c.txid, c.seq
      LIMIT ${limit}`;
  }
}

/**
 * Whether an entry `c` of event_changes matches the criteria before or after its change. The
 * state before an UPDATED change is the event's previous entry's: a change matches a filter that
 * either state matches, so a reader learns that an event left its filter.
 */
export function entryMatches(criteria: EventCriteria): Prisma.Sql {
  return Prisma.sql`(${criteriaSql(criteria, recordedState(Prisma.sql`c.state`))}
    OR EXISTS (SELECT 1 FROM event_changes p WHERE p.event_id = c.event_id AND p.version = c.version - 1
               AND ${criteriaSql(criteria, recordedState(Prisma.sql`p.state`))}))`;
}

export function toChange(row: EntryRow): EventChange {
  return {
    cursor: feedCursor(row),
    kind: row.kind,
    eventId: row.eventId,
    version: row.version,
    at: row.at,
    fields: row.fields.map((change) => change.field),
  };
}
