import type { ArticleTextFile } from "./article-text-file";
import type { ArticleDraftOut } from "./drafter";

const PLACE_ORDER: Record<string, number> = { COUNTRY: 0, REGION: 1, CITY: 2, SITE: 3 };

/**
 * A draft as a file an editor reviews and `npm run ingest` then takes: ArticleInput JSON (the
 * article, its text as body, the events, and the participants and places not stored yet, parents
 * first), with each event's evidence and confidence under `review`, which ingesting ignores.
 */
export function draftFileOf(article: ArticleTextFile, draft: ArticleDraftOut) {
  const review: Record<string, { confidence: number; evidence: string[] }> = {};
  for (const event of draft.events) review[event.key] = { confidence: event.confidence, evidence: event.evidence.map((span) => span.text) };
  const drop = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null)) as Partial<T>;
  return {
    url: article.url,
    title: article.title,
    publisher: article.publisher,
    author: article.author,
    publishedAt: article.publishedAt.toISOString(),
    body: article.text,
    participants: draft.participants.filter((participant) => !participant.known).map(({ slug, name, kind }) => ({ slug, name, kind })),
    locations: draft.locations
      .filter((location) => !location.known)
      .sort((a, b) => (PLACE_ORDER[a.kind] ?? 9) - (PLACE_ORDER[b.kind] ?? 9))
      .map(({ known: _known, mentions: _mentions, ...location }) => drop(location)),
    events: draft.events.map(({ evidence: _evidence, confidence: _confidence, claims, deaths, injuries, ...event }) => ({
      ...drop(event),
      ...(deaths ? { deaths: drop(deaths) } : {}),
      ...(injuries ? { injuries: drop(injuries) } : {}),
      claims: claims.map(({ deaths: claimDeaths, injuries: claimInjuries, ...claim }) => ({
        ...drop(claim),
        ...(claimDeaths ? { deaths: drop(claimDeaths) } : {}),
        ...(claimInjuries ? { injuries: drop(claimInjuries) } : {}),
      })),
    })),
    review,
  };
}
