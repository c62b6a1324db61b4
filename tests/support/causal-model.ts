import type { TestApp } from "./test-app";

/**
 * An independent model of when a set of causal links can hold, for the property tests: each
 * event may start within its own window (its date's period, narrowed by explicit bounds and,
 * for an OCCURRED event, by the publication of its earliest source when that is not before the
 * period), and a cause cannot start after its effect. The links can all hold exactly when no
 * event's own latest start is before the own earliest start of one of its ancestors (itself
 * included), which this checks directly rather than by propagating windows as the service does.
 */
export interface OwnWindow {
  earliest: number;
  latest: number;
}

export interface CausalState {
  own: Map<string, OwnWindow>;
  /** Cause ids by effect id. */
  causes: Map<string, string[]>;
}

/** An event's own window from its facts; `end` is the exclusive end of its date's period. */
export function ownWindow(facts: { start: number; end: number; occurred: boolean; published: number | null; notBefore?: number | null; notAfter?: number | null }): OwnWindow {
  const earliest = Math.max(facts.start, facts.notBefore ?? -Infinity);
  let latest = Math.min(facts.end - 1, facts.notAfter ?? Infinity);
  if (facts.occurred && facts.published != null && facts.published >= earliest) latest = Math.min(latest, facts.published);
  return { earliest, latest };
}

/** Every stored event's own window and causes, read from the tables. */
export async function storedCausalState(app: TestApp): Promise<CausalState> {
  const rows = await app.db.prisma.$queryRawUnsafe<
    Array<{ id: number; start: Date; end: Date; status: string; notBefore: Date | null; notAfter: Date | null; published: Date | null }>
  >(
    `SELECT e.id, e.occurred_at AS start, e.ends_at AS "end", e.status::text AS status, e.not_before AS "notBefore", e.not_after AS "notAfter",
            (SELECT min(s.published_at) FROM event_sources es JOIN sources s ON s.id = es.source_id WHERE es.event_id = e.id) AS published
     FROM events e`,
  );
  const links = await app.db.prisma.$queryRawUnsafe<Array<{ cause: number; effect: number }>>(`SELECT cause_id AS cause, effect_id AS effect FROM event_links`);
  const own = new Map<string, OwnWindow>();
  for (const row of rows) {
    own.set(
      String(row.id),
      ownWindow({
        start: row.start.getTime(),
        end: row.end.getTime(),
        occurred: row.status === "OCCURRED",
        published: row.published?.getTime() ?? null,
        notBefore: row.notBefore?.getTime() ?? null,
        notAfter: row.notAfter?.getTime() ?? null,
      }),
    );
  }
  const causes = new Map<string, string[]>();
  for (const { cause, effect } of links) causes.set(String(effect), [...(causes.get(String(effect)) ?? []), String(cause)]);
  return { own, causes };
}

/** The earliest publication of these stored source urls (null when none has a date). */
export async function earliestPublication(app: TestApp, urls: readonly string[]): Promise<number | null> {
  if (!urls.length) return null;
  const [row] = await app.db.prisma.$queryRawUnsafe<[{ published: Date | null }]>(
    `SELECT min(published_at) AS published FROM sources WHERE url = ANY($1::text[])`,
    [...urls],
  );
  return row.published?.getTime() ?? null;
}

/** Whether every causal link of the state can hold (the links are assumed to form no cycle). */
export function causallyConsistent(state: CausalState): boolean {
  const reach = new Map<string, number>(); // the latest own earliest start among an event's ancestors and itself
  const ancestorsStart = (id: string): number => {
    const known = reach.get(id);
    if (known !== undefined) return known;
    let start = state.own.get(id)!.earliest;
    for (const cause of state.causes.get(id) ?? []) start = Math.max(start, ancestorsStart(cause));
    reach.set(id, start);
    return start;
  };
  for (const [id, window] of state.own) if (ancestorsStart(id) > window.latest) return false;
  return true;
}
