import type { EventCategory, TollQualifier } from "../generated/prisma/enums";
import categoriesData from "./lexicon/categories.json";
import markersData from "./lexicon/markers.json";
import qualifiersData from "./lexicon/qualifiers.json";

/**
 * The drafter's dictionaries, read from the JSON files beside this module so that a newsroom can
 * teach it its own phrasings without touching code (CAMEO keeps its verb dictionaries as data for
 * the same reason). Patterns are regular expressions matched case-insensitively on word boundaries.
 */
export interface Lexicon {
  /** Global: every match of a sentence is a trigger. */
  triggers: Array<{ category: EventCategory; pattern: RegExp }>;
  /** A plan's marker and up to four words, at the end of the text before a trigger ("are to hold a joint"). */
  plannedBefore: RegExp;
  causal: RegExp;
  claimVerbs: RegExp;
  /** claimVerbs, global: for every "said" of a sentence. */
  allClaimVerbs: RegExp;
  /** Global: each word of death or injury in a sentence. */
  deathWords: RegExp;
  injuryWords: RegExp;
  demandMarkers: RegExp;
  /** Words before a trigger that make it a reference to an event, not a report of one: "during his visit". */
  background: RegExp;
  groupNouns: string[];
  groupModifiers: string[];
  personTitles: string[];
  /** Government bodies and ranks: with no country named before them, they are the country of the dateline. */
  institutions: string[];
  organizationHeads: Set<string>;
  organizationIntroducers: Set<string>;
  armedHeads: Set<string>;
  /** Words that are towns somewhere but, alone, almost always mean something else in news text ("Police said"). */
  notPlaces: Set<string>;
  qualifiers: Array<{ pattern: RegExp; qualifier: TollQualifier }>;
  vague: Array<{ pattern: RegExp; qualifier: TollQualifier; low: number }>;
  /** Global: a misspelled number word ("tree"), captured, and the number each means. */
  misspelled: { pattern: RegExp; values: Map<string, number> };
}

const anyOf = (patterns: string[], flags = "gi") => new RegExp(`(?<![\\w-])(?:${patterns.join("|")})(?![\\w-])`, flags);

let lexicon: Lexicon | undefined;

export function loadLexicon(): Lexicon {
  return (lexicon ??= {
    triggers: categoriesData.categories.map(({ category, patterns }) => ({
      category: category as EventCategory,
      pattern: anyOf(patterns),
    })),
    plannedBefore: new RegExp(`(?:${anyOf(markersData.planned).source})(?:\\s+\\w+){0,4}\\s*$`, "i"),
    causal: anyOf(markersData.causal, "i"),
    claimVerbs: anyOf(markersData.claimVerbs, "i"),
    allClaimVerbs: anyOf(markersData.claimVerbs),
    deathWords: anyOf(markersData.deathWords),
    injuryWords: anyOf(markersData.injuryWords),
    demandMarkers: anyOf(markersData.demandMarkers, "i"),
    background: new RegExp(`(?:${markersData.background.join("|")})\\s*$`, "i"),
    groupNouns: markersData.groupNouns,
    groupModifiers: markersData.groupModifiers,
    personTitles: markersData.personTitles,
    institutions: markersData.institutions,
    organizationHeads: new Set(markersData.organizationHeads),
    organizationIntroducers: new Set(markersData.organizationIntroducers),
    armedHeads: new Set(markersData.armedHeads),
    notPlaces: new Set([...markersData.notPlaces, ...markersData.groupNouns, ...markersData.institutions, ...markersData.personTitles]),
    qualifiers: qualifiersData.before.map(({ pattern, qualifier }) => ({
      pattern: new RegExp(`(?<![\\w-])${pattern}\\s+$`, "i"),
      qualifier: qualifier as TollQualifier,
    })),
    vague: qualifiersData.vague.map(({ pattern, qualifier, low }) => ({
      pattern: new RegExp(`(?<![\\w-])${pattern}(?![\\w-])`, "gi"),
      qualifier: qualifier as TollQualifier,
      low,
    })),
    misspelled: misspellingsOf(qualifiersData.misspelled),
  });
}

function misspellingsOf(data: Record<string, string | number>): Lexicon["misspelled"] {
  const values = new Map(Object.entries(data).flatMap(([word, value]) => (typeof value === "number" ? [[word.toLowerCase(), value] as const] : [])));
  return { pattern: new RegExp(`(?<![\\w-])(${[...values.keys()].join("|")})(?![\\w-])`, "gi"), values };
}
