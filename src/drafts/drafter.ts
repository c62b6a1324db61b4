import type { EventCategory, EventStatus, LocationKind, ParticipantKind, ParticipantRole } from "../generated/prisma/enums";
import { slugify } from "../common/slug";
import { datesIn, startOf, undated, type DateMention, type DraftDate } from "./dates";
import type { Gazetteer } from "./gazetteer";
import type { Lexicon } from "./lexicon";
import { MentionFinder, type Entity, type KnownNames, type Mention } from "./mentions";
import { sentencesOf, type Sentence, type Span } from "./text";
import { tollsIn, type DraftToll, type TollMention } from "./tolls";

export interface DraftSpan extends Span {
  text: string;
}
export interface DraftClaimOut {
  claimant: string | null;
  statement: string;
  deaths: DraftToll | null;
  injuries: DraftToll | null;
}
export interface DraftEventOut {
  key: string;
  title: string;
  summary: string | null;
  date: string;
  notBefore: string | null;
  notAfter: string | null;
  category: EventCategory;
  status: EventStatus;
  deaths: DraftToll | null;
  injuries: DraftToll | null;
  claims: DraftClaimOut[];
  location: string | null;
  participants: Array<{ participant: string; role: ParticipantRole }>;
  causes: string[];
  evidence: DraftSpan[];
  confidence: number;
}
export interface DraftParticipantOut {
  slug: string;
  name: string;
  kind: ParticipantKind;
  known: boolean;
  mentions: DraftSpan[];
}
export interface DraftLocationOut {
  slug: string;
  name: string;
  kind: LocationKind;
  parent: string | null;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  known: boolean;
  mentions: DraftSpan[];
}
export interface ArticleDraftOut {
  events: DraftEventOut[];
  participants: DraftParticipantOut[];
  locations: DraftLocationOut[];
}

/** Categories whose events can cost lives: only they take a toll from their sentence. */
const VIOLENT = new Set<EventCategory>(["AIRSTRIKE", "ARMED_CLASH", "ATTACK", "EXPLOSION", "RIOT", "PROTEST", "OTHER"] as EventCategory[]);
const PLACE_RANK: Record<string, number> = { SITE: 4, CITY: 3, REGION: 2, COUNTRY: 1 };
/** Words that name what an earlier event was, when a later sentence refers back to it ("angered over the strikes"). */
const REFERS_TO: Array<[RegExp, EventCategory[]]> = [
  [/strikes?|raids?|barrage|bombing|shelling/i, ["AIRSTRIKE", "EXPLOSION"] as EventCategory[]],
  [/killings?|deaths?|attacks?|incident|shooting|massacre/i, ["ATTACK", "EXPLOSION", "AIRSTRIKE", "ARMED_CLASH"] as EventCategory[]],
  [/clash(?:es)?|fighting/i, ["ARMED_CLASH"] as EventCategory[]],
  [/protests?|rall(?:y|ies)|demonstrations?/i, ["PROTEST", "RIOT"] as EventCategory[]],
  [/verdict|ruling|sentence|arrests?|trial/i, ["LEGAL"] as EventCategory[]],
  [/elections?|vote/i, ["POLITICAL"] as EventCategory[]],
  [/earthquake|quake|floods?|storm|cyclone/i, ["OTHER"] as EventCategory[]],
];

interface Candidate {
  category: EventCategory;
  trigger: DraftSpan;
  sentence: number;
  planned: boolean;
  actors: Mention[];
  roles: Map<string, { entity: Entity; role: ParticipantRole }>;
  places: Mention[];
  dateMention: DateMention | undefined;
  tolls: TollMention[];
  claims: DraftClaimOut[];
  /** Causal phrases of its sentences ("in retaliation for Iran's barrage into Pakistan"), naming its causes. */
  causal: Span[];
  /** The sentences it was drawn from, by index. */
  sentences: number[];
  /** Drawn from the article's headline: a line of its own at the top, with no closing stop. */
  headline: boolean;
  /** Set when it only names an earlier event as a cause: it adds to that event and never stands alone. */
  inCausalPhrase: boolean;
  evidence: Span[];
  /** Its triggers, with those of the mentions merged into it. */
  triggers: Span[];
  mentions: number;
}

/**
 * Drafts events from one article's text: pure, no database. The service gives it what is stored
 * (names, aliases, slugs) and the gazetteer; everything else comes from the text and the lexicon.
 */
export function draftFromText(
  input: { text: string; publishedAt: Date },
  known: KnownNames,
  gazetteer: Gazetteer,
  lexicon: Lexicon,
): ArticleDraftOut {
  const { text, publishedAt } = input;
  const sentences = sentencesOf(text);
  const finder = new MentionFinder(known, gazetteer, lexicon);
  const mentions = finder.find(sentences);
  const bySentence = sentences.map((_, index) => mentions.filter((mention) => mention.sentence === index));

  const candidates: Candidate[] = [];
  let focus: Candidate | undefined;
  sentences.forEach((sentence, index) => {
    const found = candidatesIn(sentence, index, bySentence[index]!, publishedAt, lexicon);
    if (found.length) {
      candidates.push(...found);
      focus = found.filter((candidate) => !candidate.inCausalPhrase).at(-1) ?? focus;
      return;
    }
    // A sentence with no event of its own often reports on the one before: "Pakistan said two children were killed."
    if (focus && sentences[focus.sentence]!.paragraph >= sentence.paragraph - 1) {
      const claim = claimIn(sentence, bySentence[index]!, lexicon, focus.category);
      if (claim) {
        focus.claims.push(claim);
        focus.evidence.push(sentence);
      }
    }
  });

  const events = merge(candidates);
  const dated = new Map<Candidate, DraftDate>();
  const causes = new Map<Candidate, Candidate[]>();
  for (const event of events) causes.set(event, causesOf(event, events, text, lexicon));
  // Dates are resolved in causal order, so that "Thursday, in retaliation for the barrage earlier in the week" can count from the barrage.
  const resolve = (event: Candidate, seen = new Set<Candidate>()): DraftDate => {
    const done = dated.get(event);
    if (done) return done;
    seen.add(event);
    const anchorEvent = causes.get(event)!.find((cause) => !seen.has(cause));
    const anchor = anchorEvent ? startOf(resolve(anchorEvent, seen)) : undefined;
    const date = event.dateMention?.resolve(event.planned, anchor) ?? undated(publishedAt, event.planned);
    dated.set(event, date);
    return date;
  };
  events.forEach((event) => resolve(event));

  const titles = new Map(events.map((event) => [event, titleOf(event, text)]));
  const keys = new Map<Candidate, string>();
  const usedKeys = new Set<string>();
  for (const event of events) {
    const base = slugify(titles.get(event)!).slice(0, 60).replace(/-+$/, "") || "event";
    let key = base;
    for (let n = 2; usedKeys.has(key); n++) key = `${base}-${n}`;
    usedKeys.add(key);
    keys.set(event, key);
  }

  const usedEntities = new Set<Entity>();
  const draftEvents = events.map((event): DraftEventOut => {
    const date = dated.get(event)!;
    const place = bestPlace(event);
    if (place) usedEntities.add(place);
    for (const { entity } of event.roles.values()) usedEntities.add(entity);
    const deaths = event.tolls.find((toll) => toll.kind === "deaths")?.toll ?? null;
    const injuries = event.tolls.find((toll) => toll.kind === "injuries")?.toll ?? null;
    return {
      key: keys.get(event)!,
      title: titles.get(event)!,
      summary: text.slice(event.evidence[0]!.start, event.evidence[0]!.end).trim(),
      date: date.date,
      notBefore: date.notBefore ?? null,
      notAfter: date.notAfter ?? null,
      category: event.category,
      status: (event.planned ? "PLANNED" : "OCCURRED") as EventStatus,
      deaths,
      injuries,
      claims: event.claims,
      location: place?.place?.slug ?? null,
      participants: [...event.roles.values()]
        .filter(({ entity }) => entity.participant)
        .map(({ entity, role }) => ({ participant: entity.participant!.slug, role })),
      causes: causes
        .get(event)!
        .map((cause) => keys.get(cause)!)
        .filter((key) => key !== keys.get(event)),
      evidence: uniqueSpans(event.evidence).map((span) => ({ start: span.start, end: span.end, text: text.slice(span.start, span.end) })),
      confidence: confidenceOf(event, date),
    };
  });
  for (const event of events) {
    for (const claim of event.claims) {
      const claimant = mentions.find((mention) => mention.entity.participant?.slug === claim.claimant);
      if (claimant) usedEntities.add(claimant.entity);
    }
  }
  return { events: draftEvents, ...entitiesOf(usedEntities, mentions, text) };
}

function candidatesIn(sentence: Sentence, index: number, mentions: Mention[], publishedAt: Date, lexicon: Lexicon): Candidate[] {
  const offset = sentence.bodyStart;
  const body = sentence.text.slice(sentence.bodyStart - sentence.start);
  const triggers: Array<{ category: EventCategory; start: number; end: number; text: string }> = [];
  for (const { category, pattern } of lexicon.triggers) {
    for (const match of body.matchAll(pattern)) {
      const start = offset + match.index!;
      const end = start + match[0].length;
      if (triggers.some((other) => other.start < end && start < other.end)) continue;
      triggers.push({ category, start, end, text: match[0] });
    }
  }
  if (!triggers.length) {
    // "China's foreign ministry said on Thursday, in response to the visit, that ...": a reaction is a statement.
    const said = body.match(lexicon.claimVerbs);
    const causalMarker = body.match(lexicon.causal);
    if (!said || !causalMarker || !/^(?:in response to|in reaction to|responding to|reacting to)/i.test(causalMarker[0])) return [];
    const start = offset + said.index!;
    triggers.push({ category: "STATEMENT" as EventCategory, start, end: start + said[0].length, text: said[0] });
  }
  triggers.sort((a, b) => a.start - b.start);
  const demand = firstMatch(lexicon.demandMarkers, body, offset);
  const causal = causalPhraseIn(body, offset, sentence.end, lexicon);
  const dates = datesIn(body, offset, publishedAt);
  const tolls = tollsIn(body, offset, lexicon);

  const candidates: Candidate[] = [];
  for (const trigger of triggers) {
    if (demand && trigger.start > demand.start) continue;
    const before = text(sentence, Math.max(sentence.bodyStart, trigger.start - 45), trigger.start);
    if (lexicon.background.test(before)) continue;
    const inCausalPhrase = Boolean(causal && trigger.start >= causal.markerEnd && trigger.start < causal.end);
    const planned = lexicon.plannedBefore.test(before + trigger.text.replace(/\s*\S+$/, ""));
    // Neighbouring triggers of one category and tense are one event: "talks ... held discussions".
    const previous = candidates.at(-1);
    if (previous && previous.category === trigger.category && previous.planned === planned && previous.inCausalPhrase === inCausalPhrase) {
      previous.mentions++;
      previous.triggers.push({ start: trigger.start, end: trigger.end });
      continue;
    }
    candidates.push({
      category: trigger.category,
      trigger: { start: trigger.start, end: trigger.end, text: trigger.text },
      sentence: index,
      planned,
      actors: [],
      roles: new Map(),
      places: [],
      dateMention: undefined,
      tolls: [],
      claims: [],
      causal: inCausalPhrase || !causal ? [] : [causal],
      sentences: [index],
      headline: index === 0 && sentence.paragraph === 0 && !/[.!?]["”’)]*\s*$/.test(sentence.text),
      inCausalPhrase,
      evidence: [sentence],
      triggers: [{ start: trigger.start, end: trigger.end }],
      mentions: 1,
    });
  }
  for (const candidate of candidates) {
    const next = candidates.filter((other) => other.trigger.start > candidate.trigger.start && other.inCausalPhrase === candidate.inCausalPhrase).map((other) => other.trigger.start);
    const clauseEnd = Math.min(candidate.inCausalPhrase ? causal!.end : sentence.end, ...next);
    const visible = mentions.filter((mention) =>
      candidate.inCausalPhrase ? mention.start >= causal!.markerEnd && mention.end <= causal!.end : !causal || mention.end <= causal.markerEnd || mention.start >= causal.end,
    );
    assignRoles(candidate, visible, clauseEnd);
    candidate.dateMention = nearestDate(candidate, dates, publishedAt, causal);
  }
  // Tolls go to the nearest event in the sentence that can have one; figures after "said" are claims.
  for (const toll of tolls) {
    const owner = candidates
      .filter((candidate) => VIOLENT.has(candidate.category))
      .sort((a, b) => Math.abs(a.trigger.start - toll.start) - Math.abs(b.trigger.start - toll.start))[0];
    if (!owner) continue;
    const claimant = claimantBefore(toll.start, body, offset, mentions, lexicon);
    if (claimant !== undefined) {
      owner.claims.push({
        claimant,
        statement: sentence.text.trim(),
        deaths: toll.kind === "deaths" ? toll.toll : null,
        injuries: toll.kind === "injuries" ? toll.toll : null,
      });
    } else if (!owner.tolls.some((other) => other.kind === toll.kind)) {
      owner.tolls.push(toll);
    }
  }
  return candidates;
}

function assignRoles(candidate: Candidate, mentions: Mention[], clauseEnd: number) {
  const set = (mention: Mention, role: ParticipantRole) => {
    const slug = mention.entity.participant?.slug;
    if (slug && !candidate.roles.has(slug)) candidate.roles.set(slug, { entity: mention.entity, role });
  };
  const start = 0;
  // The actor: the nearest participant before the trigger that no preposition governs ("Pakistan recalled its
  // ambassadors from Tehran and launched airstrikes": Pakistan, not Tehran), or the owner of the trigger ("Iran's barrage").
  const before = mentions.filter((mention) => mention.end <= candidate.trigger.start && mention.start >= start && mention.entity.participant);
  const owner = before.at(-1);
  const ownsTrigger = owner?.possessive && candidate.trigger.start - owner.end <= 12;
  const subject = ownsTrigger ? owner : [...before].reverse().find((mention) => !mention.preposition && !mention.demonym);
  const byActors = mentions.filter(
    (mention) => mention.start >= candidate.trigger.end && mention.start < clauseEnd && mention.preposition === "by" && mention.entity.participant,
  );
  if (byActors.length) {
    // "airstrikes by Tehran and Islamabad": every name joined to the first by "and".
    candidate.actors = byActors;
    const first = mentions.indexOf(byActors[0]!);
    const following = mentions[first + 1];
    if (following && following.entity.participant && following.start - byActors[0]!.end < 8 && !candidate.actors.includes(following)) candidate.actors.push(following);
  } else if (subject) {
    // "The two foreign ministers": one phrase, both people.
    candidate.actors = before.filter((mention) => mention.start === subject.start && mention.end === subject.end);
    // "Japan's foreign minister, Kenji Morimoto, arrived": the person and the state he acts for.
    if (subject.entity.participant?.kind === "PERSON") {
      const apposed = mentions.find(
        (other) =>
          other !== subject &&
          other.entity.participant?.kind === "COUNTRY" &&
          !other.demonym &&
          ((other.end <= subject.start && subject.start - other.end <= 3) || (other.start >= subject.end && other.start - subject.end <= 3)),
      );
      if (apposed) candidate.actors.push(apposed);
    }
  }
  const asPeople = candidate.category === "PROTEST" || candidate.category === "DIPLOMACY" ? "PARTICIPANT" : "ACTOR";
  for (const actor of candidate.actors) set(actor, candidate.category === "PROTEST" ? "PARTICIPANT" : "ACTOR");
  for (const mention of mentions) {
    if (mention.start < candidate.trigger.end || mention.start >= clauseEnd) continue;
    if (mention.entity.place && (mention.preposition !== "from" || mention.entity.place.kind !== "COUNTRY")) {
      if (!mention.possessive || mention.entity.place.kind !== "COUNTRY") candidate.places.push(mention);
    }
    if (!mention.entity.participant || mention.demonym) continue;
    const violent = VIOLENT.has(candidate.category);
    const country = mention.entity.participant.kind === "COUNTRY";
    if (mention.preposition && ["against", "targeting", "at", "on"].includes(mention.preposition)) set(mention, "TARGET");
    else if (mention.preposition && ["in", "inside", "into"].includes(mention.preposition) && country)
      set(mention, violent ? "VICTIM" : candidate.category === "DIPLOMACY" ? "HOST" : "PARTICIPANT");
    else if (mention.preposition === "from" && candidate.category === "DIPLOMACY") set(mention, "TARGET");
    else if (mention.preposition === "with") set(mention, "PARTICIPANT");
    else if (!country && violent && mention.entity.participant.kind === "GROUP") set(mention, "VICTIM");
    else if (!country && mention.entity.participant.kind !== "GROUP") set(mention, violent ? "TARGET" : asPeople);
  }
  // The place an actor stands for is not where the event happened: "Iran's barrage" took place in Pakistan.
  for (const mention of mentions) {
    if (mention.start >= candidate.trigger.start || mention.start < start || !mention.entity.place) continue;
    if (candidate.actors.includes(mention) || mention.possessive || mention.demonym) continue;
    if (mention.preposition && ["in", "inside", "into", "near", "at"].includes(mention.preposition)) candidate.places.push(mention);
  }
}

function nearestDate(candidate: Candidate, dates: DateMention[], publishedAt: Date, causal: CausalPhrase | undefined): DateMention | undefined {
  const published = Date.UTC(publishedAt.getUTCFullYear(), publishedAt.getUTCMonth(), publishedAt.getUTCDate());
  const fits = (mention: DateMention) => {
    const inPhrase = Boolean(causal && mention.start >= causal.markerEnd && mention.start < causal.end);
    if (inPhrase !== candidate.inCausalPhrase) return false;
    const resolved = mention.resolve(candidate.planned);
    if (!resolved) return false;
    const start = startOf(resolved).getTime();
    return candidate.planned ? start >= published - (resolved.date.length < 10 ? 31 * 86_400_000 : 0) : start <= published;
  };
  return dates
    .filter(fits)
    .sort((a, b) => distance(a, candidate.trigger) - distance(b, candidate.trigger))[0];
}

const distance = (a: Span, b: Span) => (a.end <= b.start ? b.start - a.end : a.start >= b.end ? a.start - b.end : 0);

function claimantBefore(position: number, body: string, offset: number, mentions: Mention[], lexicon: Lexicon): string | null | undefined {
  const before = body.slice(0, position - offset);
  const verbs = [...before.matchAll(lexicon.allClaimVerbs)];
  const verb = verbs.at(-1);
  if (!verb) return undefined;
  const verbStart = offset + verb.index!;
  if (/^according to/i.test(verb[0])) {
    const after = mentions.find((mention) => mention.start >= verbStart + verb[0].length && mention.entity.participant);
    return after?.entity.participant?.slug ?? null;
  }
  const speaker = [...mentions].reverse().find((mention) => mention.end <= verbStart && verbStart - mention.end < 40 && mention.entity.participant);
  return speaker?.entity.participant?.slug ?? null;
}

/** "Pakistan said two children were killed": a figure or a statement by someone, about the event before it. */
function claimIn(sentence: Sentence, mentions: Mention[], lexicon: Lexicon, category: EventCategory): DraftClaimOut | undefined {
  const body = sentence.text.slice(sentence.bodyStart - sentence.start);
  const verb = body.match(lexicon.claimVerbs);
  if (!verb) return undefined;
  const claimant = claimantBefore(sentence.bodyStart + verb.index! + verb[0].length, body, sentence.bodyStart, mentions, lexicon);
  const tolls = VIOLENT.has(category) ? tollsIn(body, sentence.bodyStart, lexicon) : [];
  if (claimant === undefined || (claimant === null && !tolls.length)) return undefined;
  return {
    claimant,
    statement: sentence.text.trim(),
    deaths: tolls.find((toll) => toll.kind === "deaths")?.toll ?? null,
    injuries: tolls.find((toll) => toll.kind === "injuries")?.toll ?? null,
  };
}

/**
 * One event per happening: mentions of the same category and status merge when they share an actor
 * anywhere in the article, or sit in neighbouring sentences with no actor against them. A mention
 * whose actors are several events' actors ("airstrikes by Tehran and Islamabad") sums them up and
 * adds nothing of its own.
 */
function merge(candidates: Candidate[]): Candidate[] {
  const events: Candidate[] = [];
  const actorSlugs = (candidate: Candidate) => candidate.actors.map((actor) => actor.entity.participant!.slug);
  for (const candidate of candidates) {
    const slugs = actorSlugs(candidate);
    // Several actors named apart ("by Tehran and Islamabad"), not one phrase for two people ("the two foreign ministers").
    if (new Set(candidate.actors.map((actor) => actor.start)).size > 1) {
      const summed = events.filter((event) => event.category === candidate.category && actorSlugs(event).some((slug) => slugs.includes(slug)));
      // Its trigger stays with the events it sums up, so that "after airstrikes by Tehran and Islamabad" names both as causes.
      for (const event of summed) event.triggers.push(...candidate.triggers);
      if (summed.length > 0 || candidates.some((other) => other !== candidate && other.category === candidate.category)) continue;
    }
    const same = events.find((event) => {
      if (event.category !== candidate.category || event.planned !== candidate.planned) return false;
      const mine = actorSlugs(event);
      if (mine.length && slugs.length) {
        const near = event.sentences.some((sentence) => Math.abs(sentence - candidate.sentence) <= 2);
        // A person and a country in neighbouring sentences may be one actor: "Iran's foreign minister" and then his name.
        const sameActor = mine.some((slug) => slugs.includes(slug)) || (near && kindsOf(event).has("PERSON") !== kindsOf(candidate).has("PERSON"));
        // Far apart, one actor's strikes or attacks are one happening told twice; its talks, statements
        // and visits are as often several ("to meet the prime minister", "to brief his hosts"). A
        // headline sums up the story: what it names is told again below.
        const retold = near || VIOLENT.has(candidate.category) || event.headline || candidate.headline;
        return sameActor && retold && !conflictingDates(event, candidate);
      }
      return event.sentences.some((sentence) => Math.abs(sentence - candidate.sentence) <= 1) && !conflictingDates(event, candidate);
    });
    if (!same) {
      if (candidate.inCausalPhrase && !slugs.length) continue;
      events.push(candidate);
      continue;
    }
    same.mentions += candidate.mentions;
    same.evidence.push(...candidate.evidence);
    same.triggers.push(...candidate.triggers);
    if (!same.actors.length) same.actors = candidate.actors;
    for (const [slug, role] of candidate.roles) if (!same.roles.has(slug)) same.roles.set(slug, role);
    same.places.push(...candidate.places);
    same.dateMention ??= candidate.dateMention;
    same.causal.push(...candidate.causal);
    same.sentences.push(...candidate.sentences);
    same.headline &&= candidate.headline;
    for (const toll of candidate.tolls) if (!same.tolls.some((other) => other.kind === toll.kind)) same.tolls.push(toll);
    same.claims.push(...candidate.claims);
  }
  // An event stands when something ties it down: who did it, when, where or at what cost.
  return events
    .filter((event) => event.actors.length || event.dateMention || event.places.length || event.tolls.length || event.roles.size)
    .sort((a, b) => a.trigger.start - b.trigger.start);
}

const kindsOf = (candidate: Candidate) => new Set(candidate.actors.map((actor) => actor.entity.participant!.kind as string));

function conflictingDates(a: Candidate, b: Candidate): boolean {
  if (!a.dateMention || !b.dateMention) return false;
  return a.dateMention.resolve(a.planned)?.date !== b.dateMention.resolve(b.planned)?.date;
}

/** What each event responded to, from the phrase after its causal marker: the event it names, else the latest of the kind it names. */
function causesOf(event: Candidate, events: Candidate[], text: string, lexicon: Lexicon): Candidate[] {
  const causes = new Set<Candidate>();
  const others = events.filter((other) => other !== event);
  for (const causal of event.causal) {
    const named = others.filter((other) => otherMentionedIn(other, causal));
    if (named.length) {
      named.forEach((cause) => causes.add(cause));
      continue;
    }
    const phrase = text.slice(causal.start, causal.end);
    const marker = phrase.match(lexicon.causal);
    const words = phrase.slice(marker ? marker.index! + marker[0].length : 0);
    const categories = REFERS_TO.find(([pattern]) => pattern.test(words) || (marker && pattern.test(marker[0])))?.[1];
    if (!categories) continue;
    const earlier = others
      .filter((other) => categories.includes(other.category) && other.trigger.start < causal.start && !other.planned)
      .sort((a, b) => b.trigger.start - a.trigger.start)[0];
    if (earlier) causes.add(earlier);
  }
  return [...causes];
}

/** True when one of the event's own mentions (a trigger merged into it) lies in the span. */
function otherMentionedIn(event: Candidate, span: Span): boolean {
  return event.triggers.some((mention) => mention.start >= span.start && mention.end <= span.end);
}

function bestPlace(event: Candidate): Entity | undefined {
  const places = event.places.filter((mention) => mention.entity.place);
  places.sort((a, b) => (PLACE_RANK[b.entity.place!.kind] ?? 0) - (PLACE_RANK[a.entity.place!.kind] ?? 0));
  return places[0]?.entity;
}

function titleOf(event: Candidate, text: string): string {
  const sentenceSpan = event.evidence[0]!;
  const actor = event.actors[0];
  const from = actor && actor.start < event.trigger.start ? actor.start : event.trigger.start;
  const rest = text.slice(event.trigger.end, sentenceSpan.end);
  const clause = rest.match(/^[^,;:—–()"“”]*/)![0];
  let title = (text.slice(from, event.trigger.end) + clause).replace(/\s+/g, " ").trim().replace(/[.,;:]+$/, "");
  if (title.length > 120) title = `${title.slice(0, 117).replace(/\s+\S*$/, "")}…`;
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function confidenceOf(event: Candidate, date: DraftDate): number {
  let confidence = 0.4;
  if (event.actors.length) confidence += 0.15;
  if (event.dateMention && !date.notAfter) confidence += 0.15;
  if (event.places.length) confidence += 0.1;
  if (event.tolls.length || event.claims.length) confidence += 0.1;
  if (event.mentions > 1) confidence += 0.05;
  return Math.round(Math.min(confidence, 0.95) * 100) / 100;
}

function uniqueSpans(spans: Span[]): Span[] {
  const seen = new Set<string>();
  return spans
    .filter((span) => {
      const key = `${span.start}:${span.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.start - b.start);
}

const text = (sentence: Sentence, start: number, end: number) => sentence.text.slice(start - sentence.start, end - sentence.start);

/** "in retaliation for Iran's barrage into Pakistan earlier in the week": the marker and what it names, up to the clause's end. */
/** A causal marker and the clause after it; `markerEnd` is where the named cause begins. */
type CausalPhrase = Span & { markerEnd: number };

function causalPhraseIn(body: string, offset: number, sentenceEnd: number, lexicon: Lexicon): CausalPhrase | undefined {
  const marker = firstMatch(lexicon.causal, body, offset);
  if (!marker) return undefined;
  const rest = body.slice(marker.end - offset);
  const stop = rest.search(/[,;:—–()]|\s(?:as|while|but|and then|when)\s/);
  return { start: marker.start, markerEnd: marker.end, end: stop < 0 ? sentenceEnd : marker.end + stop };
}

function firstMatch(pattern: RegExp, body: string, offset: number): Span | undefined {
  const match = body.match(pattern);
  return match ? { start: offset + match.index!, end: offset + match.index! + match[0].length } : undefined;
}

function entitiesOf(used: Set<Entity>, mentions: Mention[], text: string): Pick<ArticleDraftOut, "participants" | "locations"> {
  const spansOf = (entity: Entity) =>
    mentions.filter((mention) => mention.entity === entity).map((mention) => ({ start: mention.start, end: mention.end, text: text.slice(mention.start, mention.end) }));
  const participants = new Map<string, DraftParticipantOut>();
  const locations = new Map<string, DraftLocationOut>();
  const addPlace = (entity: Entity) => {
    const place = entity.place;
    if (!place || locations.has(place.slug)) return;
    locations.set(place.slug, { ...place, mentions: spansOf(entity) });
    for (const ancestor of entity.ancestors ?? []) addPlace(ancestor);
  };
  for (const entity of used) {
    if (entity.participant && !participants.has(entity.participant.slug)) {
      participants.set(entity.participant.slug, { ...entity.participant, mentions: spansOf(entity) });
    }
    if (entity.place) addPlace(entity);
  }
  return { participants: [...participants.values()], locations: [...locations.values()] };
}
