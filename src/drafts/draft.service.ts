import { badUserInput } from "../common/errors";
import { parsePartialDate } from "../common/partial-date";
import { LIMITS, httpUrl, optionalText, requiredText } from "../common/validate";
import type { LocationService } from "../locations/location.service";
import type { ParticipantService } from "../participants/participant.service";
import type { Toll } from "../events/toll";
import { draftFromText, type ArticleDraftOut } from "./drafter";
import type { ArticleTextInput } from "./draft.input";
import type { ArticleDraft } from "./draft.type";
import { loadGazetteer } from "./gazetteer";
import { readsAsEnglish } from "./language";
import { loadLexicon } from "./lexicon";
import { ancestorNames, candidatePhrases, groupNamePrefixes } from "./mentions";
import type { DraftToll } from "./tolls";

/** Longest article text drafted: a long feature is ~10,000 words; past this it is not one article. */
export const MAX_DRAFT_TEXT = 50_000;

/**
 * Drafts an article's events for review (Query.draftArticle): checks the input, looks up in one
 * statement each the stored participants and places the text may name, and hands the rest to the
 * drafter, which reads the text alone. Writes nothing.
 */
export class DraftService {
  constructor(
    private readonly participants: ParticipantService,
    private readonly locations: LocationService,
  ) {}

  async draft(article: ArticleTextInput): Promise<ArticleDraft> {
    return toGraphQL(await this.draftPlain(article));
  }

  /** The draft with its dates as the contract's PartialDate strings: what the CLI writes for review. */
  async draftPlain(article: ArticleTextInput): Promise<ArticleDraftOut> {
    httpUrl(article.url, "article.url");
    requiredText(article.title, "article.title", LIMITS.title);
    optionalText(article.publisher, "article.publisher", LIMITS.name);
    optionalText(article.author, "article.author", LIMITS.name);
    if (!(article.publishedAt instanceof Date) || Number.isNaN(article.publishedAt.getTime())) {
      throw badUserInput("article.publishedAt must be a date-time", "article.publishedAt");
    }
    const text = requiredText(article.text, "article.text", MAX_DRAFT_TEXT);
    if (!readsAsEnglish(text)) {
      throw badUserInput(
        "article.text does not read as English: drafting reads English news text only (the lexicon is English); write the events by hand with ingestArticle",
        "article.text",
      );
    }
    const gazetteer = loadGazetteer();
    const found = candidatePhrases(text);
    const phrases = [...found, ...ancestorNames(found, gazetteer)];
    const lexicon = loadLexicon();
    const [participants, locations] = await Promise.all([
      this.participants.named(phrases, groupNamePrefixes(text, lexicon)),
      this.locations.named(phrases),
    ]);
    // The text is drafted as given (untrimmed), so that every span's offsets point into what the client sent.
    return draftFromText({ text: article.text, publishedAt: article.publishedAt }, { participants, locations }, gazetteer, lexicon);
  }
}

function toGraphQL(draft: ArticleDraftOut): ArticleDraft {
  return {
    ...draft,
    events: draft.events.map((event) => ({
      ...event,
      date: parsePartialDate(event.date, "date"),
      notBefore: event.notBefore ? parsePartialDate(event.notBefore, "notBefore") : null,
      notAfter: event.notAfter ? parsePartialDate(event.notAfter, "notAfter") : null,
      deaths: toll(event.deaths),
      injuries: toll(event.injuries),
      claims: event.claims.map((claim) => ({ ...claim, deaths: toll(claim.deaths), injuries: toll(claim.injuries) })),
    })),
  };
}

/** The contract's Toll: `best` is the conservative figure when the source gave none. */
function toll(draft: DraftToll | null): Toll | null {
  if (!draft) return null;
  return { ...draft, best: draft.best ?? draft.low ?? draft.high };
}
