/**
 * Scores a draft against the events a careful editor would accept: the measure behind
 * `npm run eval:drafts` and the seed test (tests/drafts.test.ts). Written apart from the drafter,
 * from the contract's meaning of each field, so that it cannot share the drafter's mistakes.
 */

export interface TollLike {
  low?: number | null;
  best?: number | null;
  high?: number | null;
  qualifier?: string | null;
}
export interface EventLike {
  key: string;
  date: string;
  notBefore?: string | null;
  notAfter?: string | null;
  category: string;
  status?: string | null;
  deaths?: TollLike | null;
  injuries?: TollLike | null;
  claims?: Array<{ claimant?: string | null; deaths?: TollLike | null; injuries?: TollLike | null }>;
  location?: string | null;
  participants?: Array<{ participant: string; role: string }>;
  /** Expected events: the sentence stating it, as a substring of the text. Drafts: spans. */
  evidence?: string | Array<{ start: number; end: number }>;
}

const DAY = 86_400_000;

/** The instants the event can have started in: its date's period narrowed by its bounds and, for what happened, by the publication day. */
export function windowOf(event: EventLike, published: Date): [number, number] {
  const [from, to] = period(event.date);
  let earliest = from;
  let latest = to;
  if (event.notBefore) earliest = Math.max(earliest, period(event.notBefore)[0]);
  if (event.notAfter) latest = Math.min(latest, period(event.notAfter)[1]);
  if ((event.status ?? "OCCURRED") === "OCCURRED") {
    latest = Math.min(latest, Date.UTC(published.getUTCFullYear(), published.getUTCMonth(), published.getUTCDate()) + DAY);
  }
  return [earliest, latest];
}

function period(date: string): [number, number] {
  const [year, month, day] = date.slice(0, 10).split("-").map(Number);
  if (day) return [Date.UTC(year!, month! - 1, day), Date.UTC(year!, month! - 1, day + 1)];
  if (month) return [Date.UTC(year!, month - 1, 1), Date.UTC(year!, month, 1)];
  return [Date.UTC(year!, 0, 1), Date.UTC(year! + 1, 0, 1)];
}

/** The figure to use, as the contract's Toll says: best, else the conservative end. */
export const figure = (toll: TollLike | null | undefined) => (toll ? (toll.best ?? toll.low ?? toll.high ?? null) : null);
const tollsAgree = (a: TollLike | null | undefined, b: TollLike | null | undefined) =>
  figure(a) === figure(b) && (a?.qualifier ?? "EXACT") === (b?.qualifier ?? "EXACT");
/** Every figure an event carries, its own and its claims': a claimed toll counts where the editor put it on the event, and the other way round. */
const figuresOf = (event: EventLike, kind: "deaths" | "injuries") =>
  [event[kind], ...(event.claims ?? []).map((claim) => claim[kind])].filter((toll): toll is TollLike => figure(toll) !== null);

export interface PairScore {
  expected: EventLike;
  draft: EventLike;
  window: boolean;
  category: boolean;
  status: boolean;
  mainParticipant: boolean;
  tolls: boolean;
  rolesExpected: number;
  rolesRight: number;
  participantsRight: number;
}

export interface ArticleScore {
  expected: number;
  drafted: number;
  pairs: PairScore[];
  missed: EventLike[];
  extra: EventLike[];
}

/**
 * Pairs drafted events with expected ones, best first: by the sentence that states them when the
 * expected event gives it, else by category, overlapping windows and a shared participant.
 */
export function scoreArticle(text: string, published: Date, expected: EventLike[], drafted: EventLike[]): ArticleScore {
  const candidates: Array<{ e: number; d: number; score: number }> = [];
  expected.forEach((want, e) => {
    const evidence = typeof want.evidence === "string" ? locate(text, want.evidence) : undefined;
    drafted.forEach((got, d) => {
      const spans = Array.isArray(got.evidence) ? got.evidence : [];
      const sameSentence = evidence ? spans.some((span) => span.start < evidence[1] && evidence[0] < span.end) : false;
      const category = want.category === got.category;
      const [a0, a1] = windowOf(want, published);
      const [b0, b1] = windowOf(got, published);
      const overlap = a0 < b1 && b0 < a1;
      const sameWindow = a0 === b0 && a1 === b1;
      const sameStatus = (want.status ?? "OCCURRED") === (got.status ?? "OCCURRED");
      const shared = (want.participants ?? []).some((role) => (got.participants ?? []).some((other) => other.participant === role.participant));
      const actor = (want.participants ?? []).find((role) => role.role === "ACTOR");
      const sameActor = Boolean(actor && (got.participants ?? []).some((other) => other.participant === actor.participant));
      const alike = category && overlap && (shared || !(want.participants ?? []).length || (sameWindow && sameStatus));
      if (!(sameSentence && (category || shared)) && !alike) return;
      const score =
        (sameSentence ? 8 : 0) + (category ? 4 : 0) + (sameWindow ? 2 : overlap ? 1 : 0) + (sameStatus ? 2 : 0) + (sameActor ? 2 : 0) + (shared ? 1 : 0);
      candidates.push({ e, d, score });
    });
  });
  candidates.sort((a, b) => b.score - a.score);
  const usedE = new Set<number>();
  const usedD = new Set<number>();
  const pairs: PairScore[] = [];
  for (const { e, d } of candidates) {
    if (usedE.has(e) || usedD.has(d)) continue;
    usedE.add(e);
    usedD.add(d);
    pairs.push(comparePair(expected[e]!, drafted[d]!, published));
  }
  return {
    expected: expected.length,
    drafted: drafted.length,
    pairs,
    missed: expected.filter((_, e) => !usedE.has(e)),
    extra: drafted.filter((_, d) => !usedD.has(d)),
  };
}

function comparePair(expected: EventLike, draft: EventLike, published: Date): PairScore {
  const [a0, a1] = windowOf(expected, published);
  const [b0, b1] = windowOf(draft, published);
  const roles = expected.participants ?? [];
  const got = draft.participants ?? [];
  const actor = roles.find((role) => role.role === "ACTOR") ?? roles[0];
  const tolls = (["deaths", "injuries"] as const).every((kind) => {
    const want = figuresOf(expected, kind);
    const have = figuresOf(draft, kind);
    return want.every((toll) => have.some((other) => tollsAgree(toll, other))) && have.length <= want.length;
  });
  return {
    expected,
    draft,
    window: a0 === b0 && a1 === b1,
    category: expected.category === draft.category,
    status: (expected.status ?? "OCCURRED") === (draft.status ?? "OCCURRED"),
    mainParticipant: !actor || got.some((role) => role.participant === actor.participant),
    tolls,
    rolesExpected: roles.length,
    rolesRight: roles.filter((role) => got.some((other) => other.participant === role.participant && other.role === role.role)).length,
    participantsRight: roles.filter((role) => got.some((other) => other.participant === role.participant)).length,
  };
}

function locate(text: string, evidence: string): [number, number] | undefined {
  const at = text.indexOf(evidence);
  return at < 0 ? undefined : [at, at + evidence.length];
}

export interface Totals {
  articles: number;
  expected: number;
  drafted: number;
  matched: number;
  precision: number;
  recall: number;
  date: number;
  category: number;
  status: number;
  tolls: number;
  roles: number;
  participants: number;
}

export function totalsOf(scores: ArticleScore[]): Totals {
  const pairs = scores.flatMap((score) => score.pairs);
  const sum = (pick: (pair: PairScore) => number) => pairs.reduce((total, pair) => total + pick(pair), 0);
  const expected = scores.reduce((total, score) => total + score.expected, 0);
  const drafted = scores.reduce((total, score) => total + score.drafted, 0);
  const share = (part: number, whole: number) => (whole ? part / whole : 0);
  const rolesExpected = sum((pair) => pair.rolesExpected);
  return {
    articles: scores.length,
    expected,
    drafted,
    matched: pairs.length,
    precision: share(pairs.length, drafted),
    recall: share(pairs.length, expected),
    date: share(sum((pair) => Number(pair.window)), pairs.length),
    category: share(sum((pair) => Number(pair.category)), pairs.length),
    status: share(sum((pair) => Number(pair.status)), pairs.length),
    tolls: share(sum((pair) => Number(pair.tolls)), pairs.length),
    roles: share(sum((pair) => pair.rolesRight), rolesExpected),
    participants: share(sum((pair) => pair.participantsRight), rolesExpected),
  };
}
