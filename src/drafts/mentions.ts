import nlp from "compromise";
import type { LocationKind, ParticipantKind } from "../generated/prisma/enums";
import { slugify } from "../common/slug";
import type { KnownLocation } from "../locations/location.service";
import type { KnownParticipant } from "../participants/participant.service";
import type { Gazetteer, GazetteerPlace } from "./gazetteer";
import type { Lexicon } from "./lexicon";
import { fold, type Sentence, type Span } from "./text";

export type { KnownParticipant, KnownLocation };
export interface KnownNames {
  participants: KnownParticipant[];
  locations: KnownLocation[];
}

/** Something the article names: a participant, a place, or both (a country is both). */
export interface Entity {
  participant?: { slug: string; name: string; kind: ParticipantKind; known: boolean };
  place?: {
    slug: string;
    name: string;
    kind: LocationKind;
    known: boolean;
    parent: string | null;
    countryCode: string | null;
    latitude: number | null;
    longitude: number | null;
  };
  /** The places above it, to be proposed with it when they are not stored (region -> country). */
  ancestors?: Entity[];
}

export interface Mention extends Span {
  text: string;
  sentence: number;
  entity: Entity;
  /** "Iran's barrage": the owner of what follows, usually its actor. */
  possessive: boolean;
  /** "Iranian", "Pakistani": a country named by its people. */
  demonym: boolean;
  /** The word just before it ("in", "by", "against"), lower case, or null. */
  preposition: string | null;
}

const CONNECTORS = new Set(["and", "of", "the", "al", "el", "de", "du", "la", "le", "bin", "ibn", "abu", "van", "von", "da", "di"]);
const NOT_NAMES = new Set(
  "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december the a an he she it they we i his her their its this that these those there then when while after before during but and or if as at by for from in into of on to with".split(
    " ",
  ),
);
const PREPOSITIONS = new Set(
  "in inside into near at on against by with from across over to of toward towards outside around for targeting between among".split(" "),
);
const ARMED_NOUNS = new Set(["gunmen", "militants", "rebels", "insurgents", "attackers", "assailants", "fighters", "separatists"]);
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

interface Word extends Span {
  text: string;
  folded: string;
  capitalised: boolean;
}

/**
 * Finds what each sentence names. Stored names and aliases win (they carry the newsroom's own
 * slugs), then the gazetteer's countries, demonyms, regions and cities, then people (compromise's
 * tagger, extended over the rest of a capitalised name), organisations and groups ("unknown gunmen").
 */
export class MentionFinder {
  private readonly knownPhrases = new Map<string, Entity>();
  private readonly entities = new Map<string, Entity>();
  private readonly people = new Map<string, Entity>();
  private readonly maxWords: number;
  /** The country of the dateline: who "the government" and "the army" are when no other is named. */
  private home: Entity | undefined;
  private salientPerson: Entity | undefined;
  /** Who holds each title, as the article has told it so far: "the two foreign ministers" are these. */
  private readonly holders = new Map<string, Entity[]>();
  /** "his Pakistani counterpart, Jalil Abbas Jilani": counterparts share every title either is given. */
  private readonly counterparts = new Map<Entity, Entity[]>();

  constructor(
    known: KnownNames,
    private readonly gazetteer: Gazetteer,
    private readonly lexicon: Lexicon,
  ) {
    const locationsBySlug = new Map(known.locations.map((location) => [location.slug, location]));
    for (const location of known.locations) {
      const entity = this.entity(`place:${location.slug}`, () => ({
        place: { ...location, known: true },
      }));
      for (const name of [location.name, ...location.aliases]) this.knownPhrases.set(fold(name), entity);
    }
    for (const participant of known.participants) {
      const entity = this.entity(`participant:${participant.slug}`, () => ({
        participant: { slug: participant.slug, name: participant.name, kind: participant.kind, known: true },
      }));
      // A stored country is a participant and a place under the same slug, as the seed stores them.
      const place = participant.kind === "COUNTRY" ? locationsBySlug.get(participant.slug) : undefined;
      if (place) entity.place = { ...place, known: true };
      for (const name of [participant.name, ...participant.aliases]) this.knownPhrases.set(fold(name), entity);
    }
    this.maxWords = Math.max(gazetteer.maxNameWords, ...[...this.knownPhrases.keys()].map((phrase) => phrase.split(/\s+/).length), 1);
  }

  find(sentences: Sentence[]): Mention[] {
    const dated = sentences.find((sentence) => sentence.dateline);
    if (dated) {
      const named = dated.datelineCountry ? this.gazetteer.lookup(dated.datelineCountry).find((place) => place.kind === "COUNTRY") : undefined;
      const place = named ?? this.gazetteer.lookup(dated.dateline!)[0];
      const country = place && (place.kind === "COUNTRY" ? place : this.gazetteer.country(place.countryCode));
      if (country) this.home = this.knownPhrases.get(fold(country.name)) ?? this.fromGazetteer(country);
    }
    const mentions: Mention[] = [];
    sentences.forEach((sentence, index) => {
      const previous = sentences[index - 1];
      // The person a definite description ("The Iranian foreign minister") most likely means: the first
      // person the sentence before names, its subject as a rule, within the paragraph.
      this.salientPerson =
        previous && previous.paragraph === sentence.paragraph
          ? mentions.find((mention) => mention.sentence === index - 1 && mention.entity.participant?.kind === "PERSON")?.entity
          : undefined;
      mentions.push(...this.inSentence(sentence, index));
    });
    return mentions;
  }

  private inSentence(sentence: Sentence, index: number): Mention[] {
    const offset = sentence.bodyStart;
    const body = sentence.text.slice(sentence.bodyStart - sentence.start);
    const words: Word[] = [...body.matchAll(WORD)].map((match) => {
      const text = match[0].replace(/[.]+$/, "");
      return {
        start: offset + match.index,
        end: offset + match.index + text.length,
        text,
        folded: fold(text),
        capitalised: /^\p{Lu}/u.test(text),
      };
    });
    const mentions: Mention[] = [];
    const mention = (from: number, to: number, entity: Entity, flags: Partial<Pick<Mention, "possessive" | "demonym">> = {}) => {
      const previous = words[from - 1];
      mentions.push({
        start: words[from]!.start,
        end: words[to]!.end,
        text: body.slice(words[from]!.start - offset, words[to]!.end - offset),
        sentence: index,
        entity,
        possessive: flags.possessive ?? false,
        demonym: flags.demonym ?? false,
        preposition: previous && PREPOSITIONS.has(previous.folded) ? previous.folded : null,
      });
    };

    const taken = new Array<boolean>(words.length).fill(false);
    for (let i = 0; i < words.length; i++) {
      if (taken[i]) continue;
      const found = this.longestName(words, i);
      if (!found) continue;
      const { to, entity, possessive, demonym } = found;
      mention(i, to, entity, { possessive, demonym });
      // A stored person may be named later by surname alone, as reporters do.
      if (entity.participant?.kind === "PERSON" && to > i) this.people.set(words[to]!.folded.replace(/'s$/, ""), entity);
      if (entity.participant?.kind === "PERSON") this.noteTitle(words, i, entity, mentions);
      for (let k = i; k <= to; k++) taken[k] = true;
      i = to;
    }
    this.findOrganisations(words, taken, mention);
    this.findPeople(body, offset, words, taken, mention, mentions);
    this.findTitleHolders(words, taken, mention);
    this.findInstitutions(words, taken, mention, mentions);
    this.findGroups(words, taken, mention);
    // "Pakistani laborers" is one group, not a demonym and a group.
    return mentions
      .filter((inner) => !mentions.some((outer) => outer !== inner && outer.start <= inner.start && outer.end >= inner.end && outer.end - outer.start > inner.end - inner.start))
      .sort((a, b) => a.start - b.start);
  }

  /** The longest stored or gazetteer name starting at word i. */
  private longestName(words: Word[], i: number): { to: number; entity: Entity; possessive: boolean; demonym: boolean } | undefined {
    const first = words[i]!;
    for (let to = Math.min(words.length - 1, i + this.maxWords - 1); to >= i; to--) {
      const last = words[to]!;
      const phraseWords = words.slice(i, to + 1).map((word) => word.folded);
      const possessive = /'s$/.test(phraseWords[phraseWords.length - 1]!);
      if (possessive) phraseWords[phraseWords.length - 1] = phraseWords[phraseWords.length - 1]!.replace(/'s$/, "");
      const phrase = phraseWords.join(" ");
      const known = this.knownPhrases.get(phrase);
      if (known) return { to, entity: known, possessive, demonym: false };
      if (!first.capitalised || !last.capitalised || words.slice(i, to + 1).some((word) => !word.capitalised && !CONNECTORS.has(word.folded))) continue;
      if (to === i && NOT_NAMES.has(phrase)) continue;
      const demonymOf = to === i ? this.gazetteer.countryOfDemonym(words[i]!.text.replace(/['’]s$/, "")) : undefined;
      if (demonymOf) return { to, entity: this.fromGazetteer(demonymOf), possessive: false, demonym: true };
      const places = this.gazetteer.lookup(phrase).filter((place) => place.kind === "COUNTRY" || !this.lexicon.notPlaces.has(phrase));
      if (places.length) return { to, entity: this.fromGazetteer(places[0]!), possessive, demonym: false };
    }
    return undefined;
  }

  private findPeople(
    body: string,
    offset: number,
    words: Word[],
    taken: boolean[],
    mention: (from: number, to: number, entity: Entity) => void,
    found: Mention[],
  ) {
    const wordAt = new Map(words.map((word, index) => [word.start - offset, index]));
    const names: Array<[number, number]> = [];
    for (const person of nlp(body).people().json({ offset: true }) as Array<{ offset: { start: number } }>) {
      const from = wordAt.get(person.offset.start);
      if (from !== undefined) names.push([from, from]);
    }
    // A title followed by a capitalised name ("Prime Minister Anwaarul-Haq-Kakar") names a person too.
    const lower = words.map((word) => word.folded);
    for (const title of this.lexicon.personTitles) {
      const titleWords = title.split(" ");
      for (let i = 0; i + titleWords.length < words.length; i++) {
        if (titleWords.every((word, k) => lower[i + k] === word) && words[i + titleWords.length]!.capitalised) {
          names.push([i + titleWords.length, i + titleWords.length]);
        }
      }
    }
    for (const [from] of names) {
      if (taken[from] || !words[from]!.capitalised) continue;
      let to = from;
      while (to + 1 < words.length && words[to + 1]!.capitalised && !taken[to + 1] && !NOT_NAMES.has(words[to + 1]!.folded)) to++;
      const parts = words.slice(from, to + 1).map((word) => word.text.replace(/['’]s$/, ""));
      if (parts.length === 1) {
        // A surname alone refers back to a person named in full earlier in the article; a single word alone names no one.
        const earlier = this.people.get(fold(parts[0]!));
        if (earlier) {
          mention(from, to, earlier);
          taken[from] = true;
        }
        continue;
      }
      const name = parts.join(" ");
      const entity = this.entity(`participant:${slugify(name)}`, () => ({
        participant: { slug: slugify(name), name, kind: "PERSON" as ParticipantKind, known: false },
      }));
      this.people.set(fold(parts[parts.length - 1]!), entity);
      mention(from, to, entity);
      for (let k = from; k <= to; k++) taken[k] = true;
      this.noteTitle(words, from, entity, found);
    }
    // Later mentions by surname alone.
    for (let i = 0; i < words.length; i++) {
      if (taken[i] || !words[i]!.capitalised) continue;
      const earlier = this.people.get(words[i]!.folded.replace(/'s$/, ""));
      if (earlier) {
        mention(i, i, earlier);
        taken[i] = true;
      }
    }
  }

  /** "Prime Minister Anwaarul-Haq-Kakar" holds the title; "his counterpart, Jalil Abbas Jilani" is the counterpart of the sentence's first person. */
  private noteTitle(words: Word[], from: number, person: Entity, found: Mention[]) {
    const before = words
      .slice(Math.max(0, from - 4), from)
      .map((word) => word.folded)
      .join(" ");
    const title = this.lexicon.personTitles.find((candidate) => before.endsWith(candidate));
    if (title) this.hold(title, person);
    const comma = words[from - 1]?.text === "," ? 1 : 0;
    if (words[from - 1 - comma]?.folded === "counterpart") {
      const subject = found.find((other) => other.entity.participant?.kind === "PERSON" && other.entity !== person && other.start < words[from]!.start)?.entity;
      if (subject) {
        this.counterparts.set(subject, [...(this.counterparts.get(subject) ?? []), person]);
        this.counterparts.set(person, [...(this.counterparts.get(person) ?? []), subject]);
        for (const [held, people] of this.holders) if (people.includes(subject)) this.hold(held, person);
      }
    }
  }

  private hold(title: string, person: Entity) {
    const people = this.holders.get(title) ?? [];
    if (people.includes(person)) return;
    this.holders.set(title, [...people, person]);
    for (const counterpart of this.counterparts.get(person) ?? []) this.hold(title, counterpart);
  }

  /** "The two foreign ministers", "both prime ministers": the two people the article has given that title. */
  private findTitleHolders(words: Word[], taken: boolean[], mention: (from: number, to: number, entity: Entity) => void) {
    for (const [title, people] of this.holders) {
      if (people.length !== 2) continue;
      const plural = `${title}s`.split(" ");
      for (let i = 0; i + plural.length < words.length; i++) {
        const counted = words[i]!.folded === "both" || (words[i]!.folded === "two" && words[i - 1]?.folded === "the");
        if (!counted || !plural.every((part, k) => words[i + 1 + k]!.folded === part && !taken[i + 1 + k])) continue;
        const from = words[i]!.folded === "two" ? i - 1 : i;
        const end = i + plural.length;
        for (const person of people) mention(from, end, person);
        for (let k = from; k <= end; k++) taken[k] = true;
      }
    }
  }

  /**
   * Named bodies the gazetteer and the store do not know: a capitalised name ending in a word such as
   * "Alliance", "Front" or "Party" ("Kivu Patriotic Alliance"), or introduced as one ("the group
   * Kilusang Kapayapaan", "the Los Cóndores and Los Tiburones gangs").
   */
  private findOrganisations(words: Word[], taken: boolean[], mention: (from: number, to: number, entity: Entity) => void) {
    const { organizationHeads, organizationIntroducers, armedHeads } = this.lexicon;
    const runs: Array<[number, number]> = [];
    for (let i = 0; i < words.length; i++) {
      if (taken[i] || !words[i]!.capitalised) continue;
      let to = i;
      while (to + 1 < words.length && !taken[to + 1] && (words[to + 1]!.capitalised || (["of", "for", "de", "la", "los", "las", "el", "al", "del"].includes(words[to + 1]!.folded) && words[to + 2]?.capitalised))) to++;
      let from = i;
      if (from < to && ["the", "a", "an"].includes(words[from]!.folded)) from++;
      runs.push([from, to]);
      i = to;
    }
    runs.forEach(([from, to], index) => {
      const last = words[to]!.folded.replace(/'s$/, "");
      const before = words[from - 1]?.folded;
      const after = words[to + 1]?.folded;
      // "the Los Cóndores and Los Tiburones gangs": the word after the second name introduces the first as well.
      const sharedHead = after === "and" && runs[index + 1]?.[0] === to + 2 ? words[runs[index + 1]![1] + 1]?.folded : undefined;
      const head = organizationHeads.has(last) && to > from ? last : undefined;
      const introducer = [before, after, sharedHead].find((word) => word && organizationIntroducers.has(word));
      if (!head && !introducer) return;
      if (from === to && NOT_NAMES.has(words[from]!.folded)) return;
      const name = words
        .slice(from, to + 1)
        .map((word) => word.text.replace(/['’]s$/, ""))
        .join(" ");
      const slug = slugify(name);
      if (!slug) return;
      const armed = armedHeads.has(head ?? "") || armedHeads.has(introducer ?? "");
      const entity =
        this.knownPhrases.get(fold(name)) ??
        this.entity(`participant:${slug}`, () => ({
          participant: { slug, name, kind: (armed ? "ARMED_GROUP" : "ORGANIZATION") as ParticipantKind, known: false },
        }));
      this.knownPhrases.set(fold(name), entity);
      mention(from, to, entity);
      for (let k = from; k <= to; k++) taken[k] = true;
    });
  }

  /**
   * "Japan's foreign minister", "the Somali army", "the government": a state acting through its
   * institutions is the country, as editors record it. With no country named before the institution,
   * the dateline's country.
   */
  private findInstitutions(words: Word[], taken: boolean[], mention: (from: number, to: number, entity: Entity, flags?: Partial<Pick<Mention, "possessive" | "demonym">>) => void, found: Mention[]) {
    for (const institution of this.lexicon.institutions) {
      const parts = institution.split(" ");
      for (let i = 0; i + parts.length <= words.length; i++) {
        if (!parts.every((part, k) => words[i + k]!.folded.replace(/'s$/, "") === part && !taken[i + k])) continue;
        const end = i + parts.length - 1;
        // A country named just before it, by name, possessive or demonym, within two words ("Japan's foreign minister").
        const owner = [...found].reverse().find((other) => other.end <= words[i]!.start && words[i]!.start - other.end <= 20 && other.entity.participant?.kind === "COUNTRY");
        const from = owner ? words.findIndex((word) => word.start === owner.start) : i;
        // "The Iranian foreign minister" with no name after it, right after a sentence about a person: that person.
        const definite = words[from - 1]?.folded === "the" || (from > 0 && words[from]!.folded === "the");
        const named = words[end + 1]?.capitalised || words[end + 1]?.text === ",";
        const person = this.lexicon.personTitles.includes(institution) && definite && !named ? this.salientPerson : undefined;
        if (person) this.hold(institution, person);
        const entity = person ?? owner?.entity ?? (["the", undefined].includes(words[i - 1]?.folded) || i === 0 ? this.home : undefined);
        if (!entity || from < 0) continue;
        mention(from, end, entity);
        for (let k = i; k <= end; k++) taken[k] = true;
      }
    }
  }

  /** "unknown gunmen", "Pakistani laborers", "protesters": the harmed and the crowds. */
  private findGroups(words: Word[], taken: boolean[], mention: (from: number, to: number, entity: Entity) => void) {
    const nouns = new Set(this.lexicon.groupNouns);
    const modifiers = new Set(this.lexicon.groupModifiers);
    for (let i = 0; i < words.length; i++) {
      const noun = words[i]!.folded;
      if (taken[i] || !nouns.has(noun)) continue;
      let from = i;
      while (from > 0 && !taken[from - 1] && modifiers.has(words[from - 1]!.folded)) from--;
      // A demonym before the noun names whose people they are ("Pakistani laborers").
      if (from > 0 && this.gazetteer.countryOfDemonym(words[from - 1]!.text)) from--;
      const to = this.postmodifierEnd(words, i, nouns, modifiers);
      const name = words
        .slice(from, to + 1)
        .map((word) => word.text)
        .join(" ");
      const slug = slugify(name);
      const known = this.knownPhrases.get(fold(name)) ?? (to > i ? this.storedGroupNamedMoreFully(words.slice(from, to + 1)) : undefined);
      const entity =
        known ??
        this.entity(`participant:${slug}`, () => ({
          participant: {
            slug,
            name: name[0]!.toUpperCase() + name.slice(1),
            kind: (ARMED_NOUNS.has(noun) ? "ARMED_GROUP" : "GROUP") as ParticipantKind,
            known: false,
          },
        }));
      mention(from, to, entity);
      for (let k = from; k <= to; k++) taken[k] = true;
      i = to;
    }
  }

  /** "Relatives of the slain Pakistanis": the people a group belongs to, after "of", are part of its name. */
  private postmodifierEnd(words: Word[], noun: number, nouns: Set<string>, modifiers: Set<string>): number {
    if (words[noun + 1]?.folded !== "of") return noun;
    let k = noun + 2;
    if (words[k]?.folded === "the") k++;
    while (k < words.length && modifiers.has(words[k]!.folded)) k++;
    const word = words[k];
    if (!word) return noun;
    if (nouns.has(word.folded)) return k;
    if (!this.gazetteer.countryOfDemonym(word.text)) return noun;
    return words[k + 1] && nouns.has(words[k + 1]!.folded) ? k + 1 : k;
  }

  /**
   * A stored group the text names in fewer words: "Relatives of the slain Pakistanis" for the stored
   * "Relatives of the slain Pakistani laborers". Same first word, and every word of the text's name
   * in the stored one, a people's name ("Pakistanis") standing for its demonym ("Pakistani").
   */
  private storedGroupNamedMoreFully(phrase: Word[]): Entity | undefined {
    const key = (text: string) => {
      const country = this.gazetteer.countryOfDemonym(text);
      return country ? `country:${country.countryCode}` : fold(text);
    };
    const wanted = phrase.map((word) => key(word.text));
    for (const [name, entity] of this.knownPhrases) {
      if (entity.participant?.kind !== "GROUP") continue;
      const stored = name.split(" ").map(key);
      if (stored[0] === wanted[0] && stored.length > wanted.length && wanted.every((word) => stored.includes(word))) return entity;
    }
    return undefined;
  }

  private fromGazetteer(place: GazetteerPlace): Entity {
    const known = this.knownPhrases.get(fold(place.name));
    if (known && (known.place?.countryCode ?? place.countryCode) === place.countryCode) return known;
    return this.entity(`place:${place.slug}`, () => {
      const entity: Entity = {
        place: {
          slug: place.slug,
          name: place.name,
          kind: place.kind as LocationKind,
          known: false,
          parent: place.parent,
          countryCode: place.countryCode,
          latitude: place.latitude,
          longitude: place.longitude,
        },
      };
      if (place.kind === "COUNTRY") {
        entity.participant = { slug: place.slug, name: place.name, kind: "COUNTRY" as ParticipantKind, known: false };
      }
      entity.ancestors = this.ancestorsOf(place);
      // The parent as it will be stored: a stored region under its own slug ("baluchistan" for GeoNames' Balochistan).
      const parent = entity.ancestors[0]?.place?.slug;
      if (parent) entity.place!.parent = parent;
      return entity;
    });
  }

  private ancestorsOf(place: GazetteerPlace): Entity[] {
    const chain: Entity[] = [];
    let parent = place.parent;
    const country = this.gazetteer.country(place.countryCode);
    while (parent) {
      const above = parent === country?.slug ? country : this.gazetteer.bySlug(parent);
      if (!above) break;
      chain.push(this.fromGazetteer(above));
      parent = above.parent;
    }
    return chain;
  }

  private entity(key: string, create: () => Entity): Entity {
    let entity = this.entities.get(key);
    if (!entity) this.entities.set(key, (entity = create()));
    return entity;
  }
}

/** The names of the places above each place the phrases name, so that a stored region is recognised as the parent of a new city. */
export function ancestorNames(phrases: readonly string[], gazetteer: Gazetteer): string[] {
  const names = new Set<string>();
  for (const phrase of phrases) {
    let place = gazetteer.lookup(phrase)[0];
    while (place?.parent) {
      const parent: GazetteerPlace | undefined = gazetteer.bySlug(place.parent) ?? undefined;
      if (!parent) break;
      names.add(parent.name.toLowerCase());
      names.add(fold(parent.name));
      place = parent;
    }
  }
  return [...names];
}

/** Every phrase of up to `maxWords` words in the text, folded: what to look up among stored names in one statement. */
/**
 * "relatives of %" for "Relatives of the slain Pakistanis": the LIKE patterns under which a stored
 * group may be named more fully than the text names it (MentionFinder.storedGroupNamedMoreFully).
 */
export function groupNamePrefixes(text: string, lexicon: Lexicon): string[] {
  const prefixes = new Set<string>();
  for (const match of text.matchAll(/(\p{L}+)\s+of\s/gu)) {
    const noun = match[1]!.toLowerCase();
    if (lexicon.groupNouns.includes(noun)) prefixes.add(`${noun} of %`);
  }
  return [...prefixes];
}

export function candidatePhrases(text: string, maxWords = 6): string[] {
  // Stored names are compared in SQL by lower(), which keeps accents: each phrase goes both as written and folded.
  const written = [...text.matchAll(WORD)].map((match) => match[0].toLowerCase().replace(/[’‘`]/g, "'").replace(/'s$|[.]+$/g, ""));
  const phrases = new Set<string>();
  for (const words of [written, written.map(fold)]) {
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= maxWords && i + n <= words.length; n++) phrases.add(words.slice(i, i + n).join(" "));
    }
  }
  return [...phrases];
}
