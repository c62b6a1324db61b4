// The synthetic data set: places, participants and a stream of events, all drawn from one seeded
// PRNG so that every run and every machine loads the same rows (in the same id order on a fresh
// database). The shapes follow what news timelines look like: a few countries and actors take
// most of the events, activity grows over the years with bursts ("crises"), most events are dated
// to the day, articles each report several events, and responses follow their causes closely.
import type { EventCategory, LocationKind, ParticipantKind, ParticipantRole } from "../../src/generated/prisma/enums";
import { periodOf, type DatePrecision } from "../../src/common/partial-date";
import { slugify } from "../../src/common/slug";
import { madeUpName, Random, Weighted } from "./random";

/** Bumped whenever the rows change, so that a stored data set is reloaded (2: events cite only articles published after them). */
export const DATASET_VERSION = 2;
export const FIRST_YEAR = 2005;
export const YEARS = 20;

export interface DatasetShape {
  events: number;
  seed: number;
  countries: number;
  regions: number;
  cities: number;
  participants: number;
}

export function shapeFor(events: number, seed = 20240129): DatasetShape {
  return { events, seed, countries: 200, regions: 2_000, cities: 17_800, participants: 5_000 };
}

interface Place {
  slug: string;
  name: string;
  kind: LocationKind;
  countryCode: string | null;
  latitude: number;
  longitude: number;
  /** Index of the parent in the level above (countries for regions, regions for cities). */
  parent: number | null;
}

interface Actor {
  slug: string;
  name: string;
  kind: ParticipantKind;
  /** Index into countries. */
  country: number | null;
}

/** Everything but the events: cheap to rebuild, so a rerun knows the slugs without reading them back. */
export interface World {
  shape: DatasetShape;
  countries: Place[];
  regions: Place[];
  cities: Place[];
  /** Participants in Zipf rank order: index 0 is the most frequent. */
  participants: Actor[];
  /** Countries in Zipf rank order of how many events they see (indexes into countries). */
  countryRanks: number[];
  regionsOf: number[][];
  citiesOf: number[][];
  /** The COUNTRY participant of each country. */
  participantOfCountry: number[];
}

export function buildWorld(shape: DatasetShape): World {
  const random = new Random(shape.seed);
  const countryNames = uniqueNames(random, shape.countries, () => madeUpName(random, random.int(1, 3)));
  const codes = random.shuffle(Array.from({ length: 676 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26))));
  const countries: Place[] = countryNames.map((name, i) => ({
    slug: slugify(name),
    name,
    kind: "COUNTRY",
    countryCode: codes[i],
    latitude: round(random.next() * 120 - 55),
    longitude: round(random.next() * 340 - 170),
    parent: null,
  }));
  const countryRanks = random.shuffle(countries.map((_, i) => i));
  const countryWeight = Weighted.zipf(shape.countries, 1.0);
  // Places spread half evenly, half by how busy the country is.
  const spread = new Weighted(countryRanks.map((_, rank) => 0.5 / shape.countries + 0.5 * countryWeight.share(rank)));
  const regions: Place[] = [];
  const regionsOf: number[][] = countries.map(() => []);
  for (let i = 0; i < shape.regions; i++) {
    const country = i < shape.countries ? countryRanks[i] : countryRanks[spread.draw(random)];
    regionsOf[country].push(regions.length);
    regions.push(childPlace(random, "REGION", countries[country], country, `${countries[country].slug}-r${regionsOf[country].length}`));
  }
  const cities: Place[] = [];
  const citiesOf: number[][] = regions.map(() => []);
  for (let i = 0; i < shape.cities; i++) {
    const region = i < shape.regions ? i : random.int(0, shape.regions - 1);
    citiesOf[region].push(cities.length);
    cities.push(childPlace(random, "CITY", regions[region], region, `${regions[region].slug}-c${citiesOf[region].length}`));
  }

  const participants: Actor[] = [];
  const participantOfCountry = countries.map((country, i) => {
    participants.push({ slug: `${country.slug}-state`, name: country.name, kind: "COUNTRY", country: i });
    return participants.length - 1;
  });
  const kinds: Array<[ParticipantKind, number, () => string]> = [
    ["ARMED_GROUP", 500, () => `${madeUpName(random, 2)} ${random.pick(["Front", "Brigades", "Army", "Movement", "Militia"])}`],
    ["ORGANIZATION", 700, () => `${madeUpName(random, 2)} ${random.pick(["Relief Agency", "Council", "Union", "Party", "Institute"])}`],
    ["GROUP", 900, () => `${madeUpName(random, 2)} ${random.pick(["villagers", "students", "workers", "farmers", "refugees"])}`],
    ["PERSON", shape.participants - 2100 - shape.countries, () => `${madeUpName(random, 2)} ${madeUpName(random, 3)}`],
  ];
  const used = new Set(participants.map((p) => p.slug));
  for (const [kind, count, name] of kinds) {
    for (let i = 0; i < count; i++) {
      const value = name();
      let slug = slugify(value);
      for (let n = 2; used.has(slug); n++) slug = `${slugify(value)}-${n}`;
      used.add(slug);
      participants.push({ slug, name: value, kind, country: random.chance(0.8) ? random.int(0, shape.countries - 1) : null });
    }
  }
  random.shuffle(participants);
  participants.forEach((p, i) => p.kind === "COUNTRY" && (participantOfCountry[p.country!] = i));
  return { shape, countries, regions, cities, participants, countryRanks, regionsOf, citiesOf, participantOfCountry };
}

function childPlace(random: Random, kind: LocationKind, parent: Place, parentIndex: number, slug: string): Place {
  return {
    slug,
    name: madeUpName(random, random.int(2, 3)),
    kind,
    countryCode: null,
    latitude: round(Math.max(-89, Math.min(89, parent.latitude + random.next() * 6 - 3))),
    longitude: round(Math.max(-179, Math.min(179, parent.longitude + random.next() * 6 - 3))),
    parent: parentIndex,
  };
}

function uniqueNames(random: Random, count: number, make: () => string): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(make());
  return [...names];
}

const round = (value: number) => Math.round(value * 1000) / 1000;

// ---- events ----------------------------------------------------------------------------------

const CATEGORIES: Array<[EventCategory, number]> = [
  ["STATEMENT", 18], ["DIPLOMACY", 13], ["ATTACK", 14], ["ARMED_CLASH", 12], ["PROTEST", 10], ["AIRSTRIKE", 7],
  ["EXPLOSION", 6], ["POLITICAL", 6], ["LEGAL", 5], ["HUMANITARIAN", 4], ["RIOT", 3], ["OTHER", 2],
];
const VIOLENT = new Set<EventCategory>(["AIRSTRIKE", "ARMED_CLASH", "ATTACK", "EXPLOSION", "RIOT"]);
const TITLES: Record<EventCategory, (a: string, b: string, place: string) => string> = {
  AIRSTRIKE: (a, b, place) => `${a} airstrike hits ${b} positions near ${place}`,
  ARMED_CLASH: (a, b, place) => `${a} and ${b} clash outside ${place}`,
  ATTACK: (a, b, place) => `${a} attack ${b} in ${place}`,
  EXPLOSION: (a, _b, place) => `Explosion in ${place}; ${a} blamed`,
  PROTEST: (a, b, place) => `${a} protest in ${place} against ${b}`,
  RIOT: (_a, b, place) => `Riot in ${place} after ${b} arrests`,
  DIPLOMACY: (a, b, place) => `${a} and ${b} hold talks in ${place}`,
  STATEMENT: (a, b) => `${a} condemns ${b}`,
  LEGAL: (a, b, place) => `${a} court in ${place} charges ${b}`,
  POLITICAL: (a, _b, place) => `${a} announces a vote in ${place}`,
  HUMANITARIAN: (a, _b, place) => `${a} aid convoy reaches ${place}`,
  OTHER: (_a, _b, place) => `Incident reported in ${place}`,
};
const WORDS = (
  "officials said residents reported witnesses according local authorities security forces ceasefire talks border " +
  "village district capital province ministry spokesman government opposition militants soldiers police civilians " +
  "wounded killed displaced convoy checkpoint negotiations agreement sanctions election parliament court verdict " +
  "demonstrators curfew shelling drone rocket mortar clashes hostages prisoners exchange aid shelter evacuation"
).split(" ");
const PUBLISHERS = Array.from({ length: 40 }, (_, i) => `Wire ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? "2" : ""}`);
const PRECISIONS: Array<[DatePrecision, number]> = [["DAY", 85], ["TIME", 8], ["MONTH", 5], ["YEAR", 2]];
const DAY_MS = 86_400_000;
const START = Date.UTC(FIRST_YEAR, 0, 1);
const END = Date.UTC(FIRST_YEAR + YEARS, 0, 1);

/** A generated event: relations by sequence numbers (0-based, in generation order), resolved to ids at load. */
export interface GeneratedEvent {
  seq: number;
  title: string;
  summary: string | null;
  start: Date;
  precision: DatePrecision;
  category: EventCategory;
  status: "OCCURRED" | "PLANNED";
  fatalities: number | null;
  injured: number | null;
  /** [level, index]: 0 country, 1 region, 2 city. */
  location: [0 | 1 | 2, number];
  participants: Array<{ participant: number; role: ParticipantRole }>;
  /** Source sequence numbers. */
  sources: number[];
  /** Event sequence numbers, all lower than seq. */
  causes: number[];
}

export interface GeneratedSource {
  seq: number;
  url: string;
  title: string;
  publisher: string;
  publishedAt: Date;
}

export interface Batch {
  sources: GeneratedSource[];
  events: GeneratedEvent[];
}

/** Yields the events in batches, with the sources they introduce; sources and causes only refer backwards. */
export function* generateEvents(world: World, batchSize: number): Generator<Batch> {
  const { shape } = world;
  const random = new Random(shape.seed ^ 0x5eed);
  const times = eventTimes(random, world);
  const categories = new Weighted(CATEGORIES.map(([, w]) => w));
  const precisions = new Weighted(PRECISIONS.map(([, w]) => w));
  const participantRanks = Weighted.zipf(world.participants.length, 1.0);
  const countryRanks = Weighted.zipf(shape.countries, 1.0);
  const recentSources: Array<{ seq: number; at: number; publishedAt: number }> = [];
  let sourceSeq = 0;
  let windowStart = 0;
  let batch: Batch = { sources: [], events: [] };

  for (let seq = 0; seq < shape.events; seq++) {
    const { at, country: crisisCountry } = times[seq];
    const country = crisisCountry ?? world.countryRanks[countryRanks.draw(random)];
    const location = placeIn(random, world, country);
    const category = CATEGORIES[categories.draw(random)][0];
    const violent = VIOLENT.has(category);

    const involved = new Set<number>();
    if (random.chance(0.35)) involved.add(world.participantOfCountry[country]);
    const wanted = random.int(1, 4);
    while (involved.size < wanted) involved.add(participantRanks.draw(random));
    const roles: ParticipantRole[] = violent ? ["ACTOR", "TARGET", "VICTIM", "PARTICIPANT"] : ["ACTOR", "PARTICIPANT", "HOST", "MEDIATOR"];
    const participants = [...involved].map((participant, i) => ({ participant, role: roles[i] }));
    const [a, b] = [world.participants[participants[0].participant].name, world.participants[participants[1]?.participant ?? 0].name];
    const place = location[0] === 0 ? world.countries[location[1]] : location[0] === 1 ? world.regions[location[1]] : world.cities[location[1]];
    const title = TITLES[category](a, b, place.name);

    const precision = PRECISIONS[precisions.draw(random)][0];
    const start = truncate(at, precision);
    const fatal = random.chance(violent ? 0.62 : 0.05);
    const fatalities = fatal ? Math.max(1, Math.floor(Math.exp(random.next() * Math.log(300)))) : random.chance(0.5) ? 0 : null;
    const injured = random.chance(0.4) ? Math.floor(Math.exp(random.next() * Math.log(500))) - 1 : null;

    // About a third of events come with a new article; the rest are also told by recent ones
    // published after they happened (a report cannot precede its event, and a window is
    // bounded by its earliest report).
    const sources = new Set<number>();
    while (recentSources.length && recentSources[0].at < at - 3 * DAY_MS) recentSources.shift();
    const reporting = recentSources.filter((source) => source.publishedAt >= at);
    if (!reporting.length || random.chance(1 / 3)) {
      const source = { seq: sourceSeq++, url: "", title, publisher: random.pick(PUBLISHERS), publishedAt: new Date(at + random.int(0, 36) * 3_600_000) };
      source.url = `https://news.example/${source.publishedAt.toISOString().slice(0, 10)}/${slugify(title).slice(0, 60)}-${source.seq}`;
      batch.sources.push(source);
      recentSources.push({ seq: source.seq, at, publishedAt: source.publishedAt.getTime() });
      if (recentSources.length > 40) recentSources.shift();
      sources.add(source.seq);
    }
    const sourceCount = random.int(1, 3);
    for (let tries = 0; reporting.length && sources.size < sourceCount && tries < 6; tries++) sources.add(random.pick(reporting).seq);

    // About 10% respond to an event of the previous 30 days, most often a very recent one.
    while (times[windowStart].at < at - 30 * DAY_MS) windowStart++;
    const causes = seq > windowStart && random.chance(0.1) ? [seq - 1 - Math.floor(random.next() ** 2 * (seq - windowStart))] : [];

    batch.events.push({
      seq,
      title,
      summary: random.chance(0.6) ? `${title}. ${sentence(random)}` : null,
      start,
      precision,
      category,
      status: !violent && random.chance(0.05) ? "PLANNED" : "OCCURRED",
      fatalities,
      injured,
      location,
      participants,
      sources: [...sources],
      causes,
    });
    if (batch.events.length === batchSize) {
      yield batch;
      batch = { sources: [], events: [] };
    }
  }
  if (batch.events.length) yield batch;
}

/** Sorted instants: activity growing threefold over the years, plus 15% in bursts around 30 crises. */
function eventTimes(random: Random, world: World): Array<{ at: number; country: number | null }> {
  const crises = Array.from({ length: 30 }, () => ({
    at: START + random.next() * (END - START - 60 * DAY_MS),
    country: world.countryRanks[random.int(0, 19)],
  }));
  const times = Array.from({ length: world.shape.events }, () => {
    if (random.chance(0.15)) {
      const crisis = random.pick(crises);
      return { at: Math.floor(crisis.at + random.next() * 60 * DAY_MS), country: crisis.country };
    }
    const u = random.next();
    // Density (1 + 2x) / 2 over [0, 1]: inverse of its CDF (x + x²) / 2.
    const x = (-1 + Math.sqrt(1 + 8 * u)) / 2;
    return { at: Math.floor(START + x * (END - START)), country: null };
  });
  return times.sort((p, q) => p.at - q.at);
}

function placeIn(random: Random, world: World, country: number): [0 | 1 | 2, number] {
  const level = random.next();
  if (level < 0.1 || !world.regionsOf[country].length) return [0, country];
  const region = random.pick(world.regionsOf[country]);
  if (level < 0.3 || !world.citiesOf[region].length) return [1, region];
  return [2, random.pick(world.citiesOf[region])];
}

function truncate(at: number, precision: DatePrecision): Date {
  const date = new Date(at);
  switch (precision) {
    case "TIME":
      return date;
    case "DAY":
      return new Date(Math.floor(at / DAY_MS) * DAY_MS);
    case "MONTH":
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
    case "YEAR":
      return new Date(Date.UTC(date.getUTCFullYear(), 0, 1));
  }
}

function sentence(random: Random): string {
  const words = Array.from({ length: random.int(8, 20) }, () => random.pick(WORDS));
  return words.join(" ").replace(/^./, (c) => c.toUpperCase()) + ".";
}

/** The period an event's start and precision stand for, as the API computes it. */
export const periodOfEvent = (event: GeneratedEvent) => periodOf(event.start, event.precision);
