/** The shapes this page asks the API for (see queries.ts). */

export type Precision = "YEAR" | "MONTH" | "DAY" | "TIME";
export type SortOrder = "ASC" | "DESC";

export interface EventLink {
  id: string;
  title: string;
  date: string;
  precision: Precision;
}

export interface TimeWindow {
  earliest: string;
  latest: string;
  earliestBound: string;
  latestBound: string;
}

export interface Toll {
  low: number | null;
  best: number | null;
  high: number | null;
  qualifier: "EXACT" | "AT_LEAST" | "AT_MOST" | "ABOUT" | "RANGE";
  text: string | null;
}

export interface Claim {
  claimant: { name: string } | null;
  statement: string;
  deaths: Toll | null;
  injuries: Toll | null;
}

export interface TimelineEvent extends EventLink {
  summary: string | null;
  occurredAt: string;
  timeWindow: TimeWindow;
  category: string;
  status: "OCCURRED" | "PLANNED";
  fatalities: number | null;
  injured: number | null;
  deaths: Toll | null;
  injuries: Toll | null;
  claims: Claim[];
  location: { slug: string; name: string; parent: { name: string } | null } | null;
  participants: Array<{ role: string; participant: { slug: string; name: string } }>;
  sources: Array<{ url: string; title: string; publisher: string | null }>;
  causes: EventLink[];
  consequences: EventLink[];
}

export interface EventPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: TimelineEvent }>;
}

export interface Named {
  slug: string;
  name: string;
  /** A hint shown beside the name in suggestions: a kind, a parent place. */
  detail?: string;
}

export interface StatsSummary {
  count: number;
  fatalities: number;
  injured: number;
  first: string | null;
  last: string | null;
  byCategory: Array<{ category: string; count: number; fatalities: number }>;
  topParticipants: Array<{ participant: { slug: string; name: string }; count: number; fatalities: number }>;
}

export interface Bucket {
  start: string;
  count: number;
  /** Events that may have started in this bucket, whose window reaches beyond it. */
  uncertain?: number;
}

export type Interval = "WEEK" | "MONTH" | "YEAR";
