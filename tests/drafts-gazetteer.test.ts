import { foldPlaceName, loadGazetteer, type Gazetteer, type GazetteerPlace } from "../src/drafts/gazetteer";

// The gazetteer drafts read places from: built offline from world-countries and GeoNames data.

let gazetteer: Gazetteer;

beforeAll(() => {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  gazetteer = loadGazetteer();
  const took = performance.now() - started;
  const heap = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  // Reported, not asserted: it depends on the machine.
  console.log(`gazetteer: first load ${took.toFixed(0)} ms, heap +${heap.toFixed(0)} MB, ${[...gazetteer.all()].length} places`);
});

const only = (phrase: string, kind: GazetteerPlace["kind"]) => gazetteer.lookup(phrase).filter((place) => place.kind === kind);

describe("the gazetteer", () => {
  it("is built once", () => {
    expect(loadGazetteer()).toBe(gazetteer);
  });

  it("finds countries by common name, official name and variants", () => {
    const [iran] = gazetteer.lookup("Iran");
    expect(iran).toMatchObject({ slug: "iran", name: "Iran", kind: "COUNTRY", countryCode: "IR", parent: null, population: null });
    expect(iran!.latitude).toBeCloseTo(32, 0);
    expect(gazetteer.lookup("Pakistan")[0]).toMatchObject({ slug: "pakistan", kind: "COUNTRY", countryCode: "PK" });
    expect(gazetteer.lookup("Islamic Republic of Iran")[0]?.slug).toBe("iran");
    expect(gazetteer.lookup("United States")[0]?.slug).toBe("united-states");
    expect(gazetteer.lookup("U.S.")[0]?.slug).toBe("united-states");
    expect(gazetteer.lookup("Britain")[0]?.slug).toBe("united-kingdom");
    expect(gazetteer.lookup("U.K.")[0]?.slug).toBe("united-kingdom");
    expect(gazetteer.country("pk")?.slug).toBe("pakistan");
    expect(gazetteer.country("IR")?.slug).toBe("iran");
    expect(gazetteer.country("ZZ")).toBeUndefined();
  });

  it("keeps two-letter codes and risky abbreviations out of the names", () => {
    expect(gazetteer.lookup("US")).toEqual([]);
    expect(gazetteer.lookup("us")).toEqual([]);
    expect(gazetteer.lookup("IR")).toEqual([]);
    expect(gazetteer.lookup("Western")).toEqual([]);
  });

  it("finds Islamabad, the capital, inside a Pakistani region", () => {
    const [city] = only("Islamabad", "CITY");
    expect(city).toMatchObject({ slug: "islamabad-city", kind: "CITY", countryCode: "PK" });
    expect(city!.latitude).toBeCloseTo(33.7, 1);
    expect(city!.longitude).toBeCloseTo(73.0, 0);
    expect(city!.population).toBeGreaterThan(500_000);
    const region = gazetteer.bySlug(city!.parent!);
    expect(region).toMatchObject({ kind: "REGION", countryCode: "PK", parent: "pakistan" });
    // The region of the same name comes first (regions before cities) and keeps the bare slug.
    expect(gazetteer.lookup("Islamabad").map((place) => place.slug)).toEqual(["islamabad", "islamabad-city"]);
  });

  it("reads seed spellings of Baluchistan on both sides of the border", () => {
    const [balochistan] = gazetteer.lookup("Baluchistan");
    expect(balochistan).toMatchObject({ name: "Balochistan", kind: "REGION", countryCode: "PK", parent: "pakistan" });
    expect(gazetteer.lookup("Balochistan")[0]).toBe(balochistan);

    const [sistan] = gazetteer.lookup("Sistan and Baluchestan");
    expect(sistan).toMatchObject({ kind: "REGION", countryCode: "IR", parent: "iran" });
    expect(sistan!.latitude).toBeGreaterThan(25);
    expect(sistan!.latitude).toBeLessThan(32);
    expect(sistan!.longitude).toBeGreaterThan(58);
    expect(sistan!.longitude).toBeLessThan(64);
    expect(gazetteer.lookup("Sistan-Baluchestan")[0]).toBe(sistan);
    expect(gazetteer.lookup("Sistan and Baluchestan Province")[0]).toBe(sistan);
  });

  it("finds regions without their Province/Region/Oblast word", () => {
    expect(gazetteer.lookup("Yazd")[0]).toMatchObject({ name: "Yazd Province", kind: "REGION", countryCode: "IR" });
    expect(gazetteer.lookup("Yazd Province")[0]?.name).toBe("Yazd Province");
  });

  it("gives regions of one name in two countries distinct slugs", () => {
    const punjabs = only("Punjab", "REGION");
    expect(punjabs.map((place) => place.countryCode).sort()).toEqual(["IN", "PK"]);
    expect(punjabs.map((place) => place.slug).sort()).toEqual(expect.arrayContaining(["punjab"]));
    expect(new Set(punjabs.map((place) => place.slug)).size).toBe(2);
  });

  it("orders countries before regions before cities, and cities by population", () => {
    expect(gazetteer.lookup("Georgia").map((place) => place.kind)[0]).toBe("COUNTRY");
    expect(gazetteer.lookup("Georgia").map((place) => place.countryCode)).toContain("US");
    const kinds = gazetteer.lookup("Tehran").map((place) => place.kind);
    expect(kinds).toEqual(["REGION", "CITY"]);
    const paris = only("Paris", "CITY");
    expect(paris[0]).toMatchObject({ countryCode: "FR", slug: "paris" });
    for (let i = 1; i < paris.length; i++) expect(paris[i]!.population!).toBeLessThanOrEqual(paris[i - 1]!.population!);
  });

  it("keeps small towns out but every capital in", () => {
    // Los Ranchos de Albuquerque has ~6,000 inhabitants; Vaduz ~5,000, but it is Liechtenstein's capital.
    expect(gazetteer.lookup("Los Ranchos de Albuquerque")).toEqual([]);
    expect(only("Vaduz", "CITY")[0]).toMatchObject({ countryCode: "LI" });
    expect(only("Albuquerque", "CITY")[0]?.countryCode).toBe("US");
  });

  it("looks up case-insensitively, accents folded", () => {
    expect(gazetteer.lookup("iran")[0]?.slug).toBe("iran");
    expect(gazetteer.lookup("PAKISTAN")[0]?.slug).toBe("pakistan");
    expect(gazetteer.lookup("  sistan   and  baluchestan ")[0]?.countryCode).toBe("IR");
    // GeoNames spells it Māzandarān.
    expect(gazetteer.lookup("Mazandaran")[0]).toMatchObject({ name: "Māzandarān", kind: "REGION" });
    expect(gazetteer.lookup("MĀZANDARĀN")[0]?.name).toBe("Māzandarān");
    expect(gazetteer.lookup("Cote d'Ivoire")[0]?.countryCode).toBe("CI");
    expect(gazetteer.lookup("Côte d’Ivoire")[0]?.countryCode).toBe("CI");
    expect(gazetteer.lookup("Gilgit Baltistan")[0]?.name).toBe("Gilgit-Baltistan");
    expect(foldPlaceName("Łódź – Bałuty")).toBe("Lodz Baluty");
  });

  it("finds nothing for what no place is called", () => {
    expect(gazetteer.lookup("Qwertyuiopistan")).toEqual([]);
    expect(gazetteer.lookup("")).toEqual([]);
    expect(gazetteer.lookup("   ")).toEqual([]);
    expect(gazetteer.countryOfDemonym("Qwertyuiopian")).toBeUndefined();
    expect(gazetteer.has("Qwertyuiopistan")).toBe(false);
  });

  it("reads demonyms, plural ones too", () => {
    const country = (word: string) => gazetteer.countryOfDemonym(word)?.slug;
    expect(country("Iranian")).toBe("iran");
    expect(country("Iranians")).toBe("iran");
    expect(country("Pakistani")).toBe("pakistan");
    expect(country("Pakistanis")).toBe("pakistan");
    expect(country("American")).toBe("united-states");
    expect(country("Americans")).toBe("united-states");
    expect(country("French")).toBe("france");
    expect(country("British")).toBe("united-kingdom");
    expect(country("Britons")).toBe("united-kingdom");
    expect(country("pakistani")).toBe("pakistan");
  });

  it("says whether a capitalised phrase is a name", () => {
    expect(gazetteer.has("Tehran")).toBe(true);
    expect(gazetteer.has("Baluchistan")).toBe(true);
    expect(gazetteer.has("Mazandaran")).toBe(true);
    expect(gazetteer.has("tehran")).toBe(false);
    expect(gazetteer.maxNameWords).toBeGreaterThanOrEqual(3);
    expect(gazetteer.maxNameWords).toBeLessThan(20);
    expect("Sistan and Baluchestan".split(" ").length).toBeLessThanOrEqual(gazetteer.maxNameWords);
  });

  it("gives every place a unique slug and a parent that exists", () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    const counts = { COUNTRY: 0, REGION: 0, CITY: 0 };
    for (const place of gazetteer.all()) {
      counts[place.kind]++;
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(place.slug) || place.slug.length > 100) problems.push(`not a slug: ${place.slug}`);
      if (seen.has(place.slug)) problems.push(`duplicate slug: ${place.slug}`);
      seen.add(place.slug);
      if (gazetteer.bySlug(place.slug) !== place) problems.push(`bySlug misses ${place.slug}`);
      if (place.kind === "COUNTRY") {
        if (place.parent !== null) problems.push(`country ${place.slug} has a parent`);
        continue;
      }
      const parent = place.parent === null ? undefined : gazetteer.bySlug(place.parent);
      const kinds = place.kind === "REGION" ? ["COUNTRY"] : ["REGION", "COUNTRY"];
      if (!parent || !kinds.includes(parent.kind) || parent.countryCode !== place.countryCode) {
        problems.push(`${place.slug}: parent ${place.parent}`);
      }
    }
    expect(problems).toEqual([]);
    expect(counts.COUNTRY).toBe(250);
    expect(counts.REGION).toBeGreaterThan(3000);
    expect(counts.CITY).toBeGreaterThan(20_000);
  });

  it("hands out places no caller can change", () => {
    const [iran] = gazetteer.lookup("Iran");
    expect(() => {
      (iran as { name: string }).name = "Persia";
    }).toThrow();
    gazetteer.lookup("Iran").pop();
    expect(gazetteer.lookup("Iran")).toHaveLength(1);
  });
});
