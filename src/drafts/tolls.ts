import nlp from "compromise";
import type { TollQualifier } from "../generated/prisma/enums";
import type { Lexicon } from "./lexicon";
import type { Span } from "./text";

export interface DraftToll {
  low: number | null;
  best: number | null;
  high: number | null;
  qualifier: TollQualifier;
  text: string | null;
}

export interface TollMention extends Span {
  kind: "deaths" | "injuries";
  toll: DraftToll;
}

/** The largest figure a toll can hold (the API's Int). Past it a number is not a count of people. */
const MAX_TOLL = 2_000_000_000;
const COUNTED = /^(?:people|persons|civilians|children|others|men|women|soldiers|troops|officers|policemen|militants|fighters|workers|laborers|labourers|villagers|residents|students|pilgrims|passengers|migrants|protesters|demonstrators|members|relatives|boys|girls|infants|babies|journalists|prisoners|rebels|attackers|gunmen|guards|miners|sailors|fishermen|others)$/i;
const HARM_REACH = 6;

interface NumberFound extends Span {
  value: number;
}

/**
 * Deaths and injuries a sentence reports: each figure (digits or words, via compromise) tied to the
 * nearest word of death or injury within a few words, qualified by the words before it ("at least
 * nine": AT_LEAST, low 9), "between 10 and 14" as a RANGE, and the vague "dozens" as the least they
 * can mean. The figures stay the source's own, as the contract's Toll says.
 */
export function tollsIn(text: string, offset: number, lexicon: Lexicon): TollMention[] {
  const words = [...text.matchAll(/\S+/g)].map((match) => ({ start: match.index!, end: match.index! + match[0].length }));
  const wordIndex = (position: number) => words.findIndex((word) => word.end > position);
  const harms: Array<{ word: number; kind: TollMention["kind"] }> = [];
  for (const [kind, pattern] of [
    ["deaths", lexicon.deathWords],
    ["injuries", lexicon.injuryWords],
  ] as const) {
    for (const match of text.matchAll(pattern)) harms.push({ word: wordIndex(match.index!), kind });
  }
  // No word of death or injury, no toll: the tagger's numbers are not worth reading.
  if (!harms.length) return [];
  const numbers: NumberFound[] = [];
  for (const found of nlp(text).numbers().json({ offset: true }) as Array<{ offset: { start: number; length: number }; number?: { num?: number } }>) {
    const value = found.number?.num;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_TOLL || !Number.isInteger(value)) continue;
    const start = found.offset.start;
    let end = start + found.offset.length;
    while (end > start && /[\s,.;:]/.test(text[end - 1]!)) end--;
    if (/^\d{4}$/.test(text.slice(start, end)) && value >= 1800 && value <= 2200) continue; // a year
    if (/^\s*-?\s*(?:year|month|week|day|hour)s?[- ]old/i.test(text.slice(end, end + 12))) continue; // an age
    numbers.push({ start, end, value });
  }
  // A misspelled number word counts only right before a word for people, where the word itself cannot stand ("tree others").
  for (const match of text.matchAll(lexicon.misspelled.pattern)) {
    const end = match.index! + match[0].length;
    if (countedWordAfter(text, end)) numbers.push({ start: match.index!, end, value: lexicon.misspelled.values.get(match[1]!.toLowerCase())! });
  }
  for (const vague of lexicon.vague) {
    for (const match of text.matchAll(vague.pattern)) {
      numbers.push({ start: match.index!, end: match.index! + match[0].length, value: -vague.low });
    }
  }

  const tolls: TollMention[] = [];
  numbers.sort((a, b) => a.start - b.start);
  for (let n = 0; n < numbers.length; n++) {
    const number = numbers[n]!;
    const at = wordIndex(number.start);
    const endWord = wordIndex(number.end - 1);
    const harm = harms
      .map((candidate) => ({ ...candidate, distance: candidate.word > endWord ? candidate.word - endWord : at - candidate.word }))
      .filter((candidate) => candidate.distance > 0 && candidate.distance <= HARM_REACH)
      .sort((a, b) => a.distance - b.distance || (a.word > endWord ? -1 : 1))[0];
    if (!harm) continue;

    let start = number.start;
    let toll: DraftToll;
    const before = text.slice(Math.max(0, number.start - 30), number.start);
    const next = numbers[n + 1];
    const between = /\bbetween\s+$/i.test(before) && next && /^\s+and\s+$/i.test(text.slice(number.end, next.start));
    if (number.value < 0) {
      toll = { low: -number.value, best: null, high: null, qualifier: "AT_LEAST" as TollQualifier, text: null };
    } else if (between) {
      start -= before.match(/between\s+$/i)![0].length;
      toll = { low: number.value, best: null, high: next.value, qualifier: "RANGE" as TollQualifier, text: null };
      n++;
    } else {
      const qualifier = lexicon.qualifiers.find(({ pattern }) => pattern.test(before));
      if (qualifier) start -= before.match(qualifier.pattern)![0].length;
      const value = number.value;
      const kind = qualifier?.qualifier ?? ("EXACT" as TollQualifier);
      toll = {
        low: kind === "AT_LEAST" ? value : null,
        best: kind === "EXACT" || kind === "ABOUT" ? value : null,
        high: kind === "AT_MOST" ? value : null,
        qualifier: kind,
        text: null,
      };
    }
    let end = between ? next!.end : number.end;
    end += countedWordAfter(text, end);
    toll.text = text.slice(start, end);
    tolls.push({ start: offset + start, end: offset + end, kind: harm.kind, toll });
  }
  return tolls;
}

/** The length of the space and word for people right after `end` ("others", "people"), else 0. */
function countedWordAfter(text: string, end: number): number {
  const following = text.slice(end).match(/^\s+([A-Za-z]+)/);
  return following && COUNTED.test(following[1]!) ? following[0].length : 0;
}
