import { WindowBound } from "../generated/prisma/enums";

/**
 * An end of a time window: the instant, what set it, whether it is a calendar date's end
 * (00:00:00.000Z or 23:59:59.999Z of a UTC day, which keeps its day in any time zone) and the
 * event whose own bound it is (for naming both events of a contradiction).
 */
export interface WindowEnd {
  at: number;
  bound: WindowBound;
  calendar: boolean;
  origin: number;
}

export interface Window {
  earliest: WindowEnd;
  latest: WindowEnd;
  /** 0 without causes, else one more than its deepest cause: ties on `earliest` sort by it. */
  depth: number;
}

/** What an event's own window is drawn from: its date, its explicit bounds, its sources. */
export interface WindowInputs {
  id: number;
  /** The reported date's period, [start, end). */
  start: number;
  end: number;
  /** DAY, MONTH or YEAR: a calendar date. */
  calendarDate: boolean;
  occurred: boolean;
  notBefore: { at: number; calendar: boolean } | null;
  /** The last instant of the notAfter period. */
  notAfter: { at: number; calendar: boolean } | null;
  /** When the earliest of its sources was published. */
  published: number | null;
}

// When several bounds set the same instant, the first of these names it (the contract's order).
const RANK: Record<WindowBound, number> = {
  [WindowBound.DATE]: 0,
  [WindowBound.GIVEN]: 1,
  [WindowBound.CAUSE]: 2,
  [WindowBound.CONSEQUENCE]: 2,
  [WindowBound.PUBLICATION]: 3,
};

/** The later of two earliest ends (a tie goes to the bound ranked first). */
function laterStart(a: WindowEnd, b: WindowEnd): WindowEnd {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return RANK[b.bound] < RANK[a.bound] ? b : a;
}

/** The earlier of two latest ends. */
function earlierStart(a: WindowEnd, b: WindowEnd): WindowEnd {
  if (a.at !== b.at) return a.at < b.at ? a : b;
  return RANK[b.bound] < RANK[a.bound] ? b : a;
}

/** The window an event's own facts give it, before its causal links. */
export function ownWindow(event: WindowInputs): Omit<Window, "depth"> {
  let earliest: WindowEnd = { at: event.start, bound: WindowBound.DATE, calendar: event.calendarDate, origin: event.id };
  let latest: WindowEnd = { at: event.end - 1, bound: WindowBound.DATE, calendar: event.calendarDate, origin: event.id };
  if (event.notBefore) earliest = laterStart(earliest, { ...event.notBefore, bound: WindowBound.GIVEN, origin: event.id });
  if (event.notAfter) latest = earlierStart(latest, { ...event.notAfter, bound: WindowBound.GIVEN, origin: event.id });
  // A source published before the event's own earliest start does not bound it: the date and
  // explicit bounds are what was reported about the event itself (the migration that brought
  // windows treats stored data the same way).
  if (event.occurred && event.published != null && event.published >= earliest.at) {
    latest = earlierStart(latest, { at: event.published, bound: WindowBound.PUBLICATION, calendar: false, origin: event.id });
  }
  return { earliest, latest };
}

/** A stored event beside the ones being recomputed: its window as it is. */
export interface FixedWindow extends Window {
  id: number;
}

/** The part of the causal graph a write touches. */
export interface WindowGraph {
  /** Events whose earliest end and depth are recomputed: the written ones and everything downstream. */
  down: ReadonlySet<number>;
  /** Events whose latest end is recomputed: the written ones and everything upstream. */
  up: ReadonlySet<number>;
  inputs: ReadonlyMap<number, WindowInputs>;
  /** Windows as stored, for every loaded event (those outside down/up keep theirs). */
  stored: ReadonlyMap<number, Window>;
  /** Causes of every loaded event that has any, by effect. */
  causes: ReadonlyMap<number, readonly number[]>;
}

/**
 * Windows of the events in `down` and `up` with their causal links applied: an event cannot
 * start before an event it responded to (CAUSE) nor after one that responded to it
 * (CONSEQUENCE). Visits events in causal order (the links never form a cycle), so a chain of any
 * length is one pass. Windows may come out empty (earliest after latest): the caller refuses
 * or reports those.
 */
export function propagateWindows(graph: WindowGraph): Map<number, Window> {
  const effects = new Map<number, number[]>();
  for (const [effect, causes] of graph.causes) {
    for (const cause of causes) {
      const list = effects.get(cause);
      if (list) list.push(effect);
      else effects.set(cause, [effect]);
    }
  }
  const result = new Map<number, Window>();
  const own = new Map<number, Omit<Window, "depth">>();
  const ownOf = (id: number) => {
    let window = own.get(id);
    if (!window) own.set(id, (window = ownWindow(graph.inputs.get(id)!)));
    return window;
  };
  const windowOf = (id: number): Window => result.get(id) ?? graph.stored.get(id)!;

  for (const id of causalOrder(graph.down, graph.causes)) {
    let { earliest } = ownOf(id);
    let depth = 0;
    for (const cause of graph.causes.get(id) ?? []) {
      const window = windowOf(cause);
      earliest = laterStart(earliest, { ...window.earliest, bound: WindowBound.CAUSE });
      depth = Math.max(depth, window.depth + 1);
    }
    result.set(id, { earliest, latest: graph.stored.get(id)?.latest ?? ownOf(id).latest, depth });
  }
  // Effects before the events they responded to.
  for (const id of causalOrder(graph.up, effects)) {
    let { latest } = ownOf(id);
    for (const effect of effects.get(id) ?? []) {
      latest = earlierStart(latest, { ...windowOf(effect).latest, bound: WindowBound.CONSEQUENCE });
    }
    const current = result.get(id) ?? graph.stored.get(id)!;
    result.set(id, { ...current, latest });
  }
  return result;
}

/**
 * The ids of `members` ordered so that each comes after every one of its `before` that is also
 * a member (Kahn's algorithm over the induced subgraph).
 */
function causalOrder(members: ReadonlySet<number>, before: ReadonlyMap<number, readonly number[]>): number[] {
  const waiting = new Map<number, number>();
  const after = new Map<number, number[]>();
  for (const id of members) {
    const prior = (before.get(id) ?? []).filter((other) => members.has(other));
    waiting.set(id, prior.length);
    for (const other of prior) {
      const list = after.get(other);
      if (list) list.push(id);
      else after.set(other, [id]);
    }
  }
  const ready = [...members].filter((id) => waiting.get(id) === 0);
  const ordered: number[] = [];
  while (ready.length) {
    const id = ready.pop()!;
    ordered.push(id);
    for (const next of after.get(id) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (ordered.length !== members.size) throw new Error("causal links form a cycle");
  return ordered;
}
