import { Prisma } from "../generated/prisma/client";
import type { WindowBound } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import type { ChangeRecorder } from "../changes/change-log";
import { propagateWindows, type Window, type WindowInputs } from "./time-window";

type Tx = Prisma.TransactionClient;

interface LoadedEvent {
  id: number;
  title: string;
  down: boolean;
  up: boolean;
  start: Date;
  end: Date;
  calendarDate: boolean;
  occurred: boolean;
  notBefore: Date | null;
  notBeforeCalendar: boolean;
  notAfter: Date | null;
  notAfterCalendar: boolean;
  published: Date | null;
  earliest: Date;
  earliestBound: WindowBound;
  earliestCalendar: boolean;
  latest: Date;
  latestBound: WindowBound;
  latestCalendar: boolean;
  depth: number;
  causes: number[];
}

const LONG_DATE = (at: number, calendar: boolean) => (calendar ? new Date(at).toISOString().slice(0, 10) : new Date(at).toISOString());

/**
 * Recomputes the time windows (and causal depths) of the events a write touched and of every
 * event their windows bound, through chains of causal links of any length, in the writing
 * transaction: three statements whatever the chain's length (the advisory lock, the causal
 * neighbourhood with everything a window is drawn from, one UPDATE of the windows that moved).
 *
 * `seeds` are the events written, plus the former causes and consequences of any whose links
 * changed or that was deleted. A write whose constraints leave some window empty (an explicit
 * bound or a date that contradicts a causal link or a source) is refused with BAD_USER_INPUT
 * naming the events involved; the caller's transaction then writes nothing. Returns the ids of
 * the events whose window moved, and tells the write's change log (`recorder`) where they were.
 */
export async function recomputeWindows(tx: Tx, seeds: Iterable<number>, recorder?: Pick<ChangeRecorder, "windowMoved">): Promise<number[]> {
  const ids = [...new Set(seeds)];
  if (!ids.length) return [];
  // The rollups' lock: one writer at a time reads and moves windows, and in the same order as
  // the rollup triggers their UPDATE fires (which take it too), so the two cannot deadlock.
  // The recursive closure's row estimates are wild (ten times the seeds per level), which on a
  // server with JIT made the planner compile the statement: half a second a bulk batch.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('timeline_rollups')), set_config('jit', 'off', true)`;
  const loadSql = Prisma.sql`
    WITH RECURSIVE down(id) AS (
      SELECT unnest(${ids}::int[])
      UNION
      SELECT l.effect_id FROM event_links l JOIN down d ON l.cause_id = d.id
    ), up(id) AS (
      SELECT unnest(${ids}::int[])
      UNION
      SELECT l.cause_id FROM event_links l JOIN up u ON l.effect_id = u.id
    ), affected AS (
      SELECT id, bool_or(is_down) AS down, bool_or(NOT is_down) AS up
      FROM (SELECT id, true AS is_down FROM down UNION ALL SELECT id, false FROM up) a GROUP BY id
    ), loaded AS (
      SELECT id FROM affected
      UNION SELECT l.cause_id FROM event_links l JOIN affected a ON a.id = l.effect_id AND a.down
      UNION SELECT l.effect_id FROM event_links l JOIN affected a ON a.id = l.cause_id AND a.up
    )
    SELECT e.id, e.title, coalesce(a.down, false) AS down, coalesce(a.up, false) AS up,
           e.occurred_at AS start, e.ends_at AS "end", e.precision <> 'TIME' AS "calendarDate",
           e.status = 'OCCURRED' AS occurred,
           e.not_before AS "notBefore", e.not_before_calendar AS "notBeforeCalendar",
           e.not_after AS "notAfter", e.not_after_calendar AS "notAfterCalendar",
           -- A source looked up by its key, each: with sources not yet analyzed (a bulk load), a
           -- join here was a scan of every source for every event.
           -- Claims' sources report the event too (WindowBound.PUBLICATION).
           (SELECT min((SELECT s.published_at FROM sources s WHERE s.id = cited.source_id))
            FROM (SELECT es.source_id FROM event_sources es WHERE es.event_id = e.id
                  UNION ALL SELECT c.source_id FROM event_claims c WHERE c.event_id = e.id) cited) AS published,
           e.earliest, e.earliest_bound AS "earliestBound", e.earliest_calendar AS "earliestCalendar",
           e.latest, e.latest_bound AS "latestBound", e.latest_calendar AS "latestCalendar",
           e.causal_depth AS depth,
           ARRAY(SELECT l.cause_id FROM event_links l WHERE l.effect_id = e.id) AS causes
    FROM events e LEFT JOIN affected a ON a.id = e.id
    -- Through the primary key: joined, the closure's wild row estimates led the planner to scan
    -- every event, a cost that grew with the table (a bulk load slowed as it went).
    WHERE e.id = ANY(ARRAY(SELECT id FROM loaded))`;
  const rows = await tx.$queryRaw<LoadedEvent[]>(loadSql);

  const byId = new Map(rows.map((row) => [row.id, row]));
  const windows = propagateWindows({
    down: new Set(rows.filter((row) => row.down).map((row) => row.id)),
    up: new Set(rows.filter((row) => row.up).map((row) => row.id)),
    inputs: new Map(rows.map((row) => [row.id, inputsOf(row)])),
    stored: new Map(rows.map((row) => [row.id, storedWindow(row)])),
    causes: new Map(rows.filter((row) => row.causes.length).map((row) => [row.id, row.causes])),
  });

  const moved: Array<[number, Window]> = [];
  for (const [id, window] of windows) {
    if (window.earliest.at > window.latest.at) throw contradiction(byId, id, window);
    if (differs(storedWindow(byId.get(id)!), window)) moved.push([id, window]);
  }
  for (const [id] of moved) {
    const row = byId.get(id)!;
    recorder?.windowMoved(id, {
      earliest: row.earliest.toISOString(),
      latest: row.latest.toISOString(),
      earliestBound: row.earliestBound,
      latestBound: row.latestBound,
    });
  }
  if (moved.length) {
    const column = <T>(pick: (window: Window) => T) => moved.map(([, window]) => pick(window));
    await tx.$executeRaw`
      UPDATE events e SET earliest = w.earliest, latest = w.latest, earliest_bound = w.earliest_bound,
             latest_bound = w.latest_bound, earliest_calendar = w.earliest_calendar, latest_calendar = w.latest_calendar,
             causal_depth = w.depth
      FROM unnest(
        ${moved.map(([id]) => id)}::int[],
        ${column((w) => new Date(w.earliest.at).toISOString())}::timestamptz[],
        ${column((w) => new Date(w.latest.at).toISOString())}::timestamptz[],
        ${column((w) => w.earliest.bound)}::text[]::"WindowBound"[],
        ${column((w) => w.latest.bound)}::text[]::"WindowBound"[],
        ${column((w) => w.earliest.calendar)}::boolean[],
        ${column((w) => w.latest.calendar)}::boolean[],
        ${column((w) => w.depth)}::int[]
      ) AS w(id, earliest, latest, earliest_bound, latest_bound, earliest_calendar, latest_calendar, depth)
      WHERE e.id = w.id`;
  }
  return moved.map(([id]) => id);
}

/**
 * The windows (and causal depths) of events about to be inserted together, computed before the
 * insert so that each row is written once, as it will stay: a bulk load's batch. `causes` are
 * the batch's links by effect; a cause outside the batch must be stored, and its own window is
 * then narrowed by recomputeWindows(outside) once the links are written (the caller's part).
 * A contradiction within the batch is BAD_USER_INPUT, as for any write.
 */
export async function windowsOfNewEvents(
  tx: Tx,
  events: ReadonlyArray<WindowInputs & { title: string }>,
  causes: ReadonlyMap<number, readonly number[]>,
): Promise<{ windows: Map<number, Window>; outside: number[] }> {
  const batch = new Set(events.map((event) => event.id));
  const outside = [...new Set([...causes.values()].flat())].filter((id) => !batch.has(id));
  const stored = outside.length
    ? await tx.$queryRaw<Array<StoredWindowRow & { title: string }>>`
        SELECT id, title, earliest, earliest_bound AS "earliestBound", earliest_calendar AS "earliestCalendar",
               latest, latest_bound AS "latestBound", latest_calendar AS "latestCalendar", causal_depth AS depth
        FROM events WHERE id = ANY(${outside}::int[])`
    : [];
  const missing = outside.filter((id) => !stored.some((row) => row.id === id));
  if (missing.length) throw badUserInput(`causes: no event ${missing.join(", ")}`, "causes");
  const windows = propagateWindows({
    down: batch,
    up: batch,
    inputs: new Map(events.map((event) => [event.id, event])),
    stored: new Map(stored.map((row) => [row.id, storedWindow(row)])),
    causes,
  });
  const titles = new Map<number, { title: string }>([...events, ...stored].map((row) => [row.id, { title: row.title }]));
  for (const id of batch) {
    const window = windows.get(id)!;
    if (window.earliest.at > window.latest.at) throw contradiction(titles, id, window);
  }
  return { windows, outside };
}

/** The events whose windows may depend on this one's links: its causes and consequences now. */
export async function causalNeighbours(tx: Tx, eventIds: readonly number[]): Promise<number[]> {
  if (!eventIds.length) return [];
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    SELECT cause_id AS id FROM event_links WHERE effect_id = ANY(${eventIds}::int[])
    UNION SELECT effect_id FROM event_links WHERE cause_id = ANY(${eventIds}::int[])`;
  return rows.map((row) => row.id);
}

function inputsOf(row: LoadedEvent): WindowInputs {
  return {
    id: row.id,
    start: row.start.getTime(),
    end: row.end.getTime(),
    calendarDate: row.calendarDate,
    occurred: row.occurred,
    notBefore: row.notBefore ? { at: row.notBefore.getTime(), calendar: row.notBeforeCalendar } : null,
    notAfter: row.notAfter ? { at: row.notAfter.getTime(), calendar: row.notAfterCalendar } : null,
    published: row.published?.getTime() ?? null,
  };
}

/** The window columns of a stored event, as both reads here name them. */
type StoredWindowRow = Pick<LoadedEvent, "id" | "earliest" | "earliestBound" | "earliestCalendar" | "latest" | "latestBound" | "latestCalendar" | "depth">;

function storedWindow(row: StoredWindowRow): Window {
  return {
    earliest: { at: row.earliest.getTime(), bound: row.earliestBound, calendar: row.earliestCalendar, origin: row.id },
    latest: { at: row.latest.getTime(), bound: row.latestBound, calendar: row.latestCalendar, origin: row.id },
    depth: row.depth,
  };
}

function differs(a: Window, b: Window): boolean {
  const end = (x: Window["earliest"], y: Window["earliest"]) => x.at !== y.at || x.bound !== y.bound || x.calendar !== y.calendar;
  return end(a.earliest, b.earliest) || end(a.latest, b.latest) || a.depth !== b.depth;
}

const WHY: Record<WindowBound, string> = {
  DATE: "its date",
  GIVEN: "its notBefore/notAfter",
  PUBLICATION: "the publication of its earliest source",
  CAUSE: "an event it responded to",
  CONSEQUENCE: "an event that responded to it",
};

/** The error for an empty window, naming the event and those whose bounds emptied it. */
function contradiction(byId: ReadonlyMap<number, { title: string }>, id: number, window: Window) {
  const name = (eventId: number) => `event ${eventId} ("${byId.get(eventId)?.title ?? "?"}")`;
  const { earliest, latest } = window;
  const from = earliest.origin === id ? WHY[earliest.bound] : `${name(earliest.origin)}, which it follows`;
  const until = latest.origin === id ? WHY[latest.bound] : `${name(latest.origin)}, which follows it`;
  return badUserInput(
    `${name(id)} cannot have started: ${from} puts its start no earlier than ${LONG_DATE(earliest.at, earliest.calendar)}, ` +
      `but ${until} puts it no later than ${LONG_DATE(latest.at, latest.calendar)}; nothing was written`,
    "date",
  );
}
