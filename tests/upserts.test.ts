import { fingerprint } from "./support/fingerprint";
import { uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

const PARTICIPANT = `mutation($input: ParticipantInput!) { upsertParticipant(input: $input) {
  id slug name kind aliases description country { slug } } }`;
const LOCATION = `mutation($input: LocationInput!) { upsertLocation(input: $input) {
  id slug name kind aliases countryCode latitude longitude parent { slug } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function refused(mutation: string, input: Record<string, unknown>, named: string) {
  const before = await fingerprint(app);
  const result = await app.write(mutation, { input });
  expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  expect(result.errors?.[0].message).toContain(named);
  expect(await fingerprint(app)).toEqual(before);
}

describe("upsertParticipant", () => {
  it("derives the slug from the name, then updates by slug, keeping fields left out", async () => {
    const tag = uniqueTag();
    const created = await app.write(PARTICIPANT, {
      input: { name: `Ça Va Brigade ${tag}`, kind: "ARMED_GROUP", aliases: ["CVB", "cvb", " Brigade "], description: "Old.", country: "iran" },
    });
    expect(created.data!.upsertParticipant).toMatchObject({
      slug: `ca-va-brigade-${tag}`,
      aliases: ["CVB", "Brigade"],
      country: { slug: "iran" },
    });
    const updated = await app.write(PARTICIPANT, {
      input: { slug: `ca-va-brigade-${tag}`, name: `Ça Va Brigade ${tag}`, kind: "ORGANIZATION", description: "New." },
    });
    expect(updated.data!.upsertParticipant).toEqual({
      ...created.data!.upsertParticipant,
      kind: "ORGANIZATION",
      description: "New.",
    });
  });

  it.each([
    [{ name: "", kind: "PERSON" }, "input.name"],
    [{ name: "Bad Slug", slug: "Bad Slug", kind: "PERSON" }, "input.slug"],
    [{ name: "!!!", kind: "PERSON" }, "input.slug"],
    [{ name: "Someone", kind: "PERSON", country: "baluchistan" }, "not a COUNTRY"],
    [{ name: "Someone", kind: "PERSON", country: "atlantis" }, '"atlantis"'],
    [{ name: "Someone", kind: "PERSON", aliases: Array.from({ length: 51 }, (_, i) => `a${i}`) }, "input.aliases"],
    [{ name: "Someone", kind: "PERSON", aliases: [""] }, "input.aliases[0]"],
  ])("refuses %j with BAD_USER_INPUT naming %s", (input, named) => refused(PARTICIPANT, input, named));
});

describe("upsertLocation", () => {
  it("creates a hierarchy and moves a place to another parent", async () => {
    const tag = uniqueTag();
    const write = async (input: Record<string, unknown>) => {
      const result = await app.write(LOCATION, { input });
      expect(result.errors).toBeUndefined();
      return result.data!.upsertLocation;
    };
    await write({ name: `Land ${tag}`, kind: "COUNTRY", countryCode: "zz" });
    await write({ name: `North ${tag}`, kind: "REGION", parent: `land-${tag}` });
    await write({ name: `South ${tag}`, kind: "REGION", parent: `land-${tag}` });
    const city = await write({ name: `Town ${tag}`, kind: "CITY", parent: `north-${tag}`, latitude: -33.5, longitude: 151 });
    expect(city).toMatchObject({ slug: `town-${tag}`, parent: { slug: `north-${tag}` }, latitude: -33.5 });
    const moved = await write({ slug: `town-${tag}`, name: `Town ${tag}`, kind: "CITY", parent: `south-${tag}` });
    expect(moved).toMatchObject({ parent: { slug: `south-${tag}` }, latitude: -33.5, longitude: 151 });
    expect((await app.query(`{ location(slug: "land-${tag}") { countryCode } }`)).data!.location.countryCode).toBe("ZZ");
  });

  it("refuses a parent that would make a cycle, and one of lower rank", async () => {
    const tag = uniqueTag();
    await app.write(LOCATION, { input: { name: `A ${tag}`, kind: "REGION" } });
    await app.write(LOCATION, { input: { name: `B ${tag}`, kind: "REGION", parent: `a-${tag}` } });
    await app.write(LOCATION, { input: { name: `C ${tag}`, kind: "CITY", parent: `b-${tag}` } });
    await refused(LOCATION, { slug: `a-${tag}`, name: `A ${tag}`, kind: "REGION", parent: `b-${tag}` }, "cycle");
    await refused(LOCATION, { slug: `a-${tag}`, name: `A ${tag}`, kind: "REGION", parent: `a-${tag}` }, "cycle");
    await refused(LOCATION, { name: `D ${tag}`, kind: "REGION", parent: `c-${tag}` }, "cannot lie within a CITY");
    await refused(LOCATION, { slug: `b-${tag}`, name: `B ${tag}`, kind: "SITE" }, `"c-${tag}" (CITY) lies within it`);
  });

  it.each([
    [{ name: "X", kind: "CITY", latitude: 91 }, "input.latitude"],
    [{ name: "X", kind: "CITY", longitude: -180.5 }, "input.longitude"],
    [{ name: "X", kind: "COUNTRY", countryCode: "PAK" }, "input.countryCode"],
    [{ name: "X", kind: "CITY", parent: "atlantis" }, '"atlantis"'],
    [{ name: "x".repeat(201), kind: "CITY" }, "input.name"],
  ])("refuses %j with BAD_USER_INPUT naming %s", (input, named) => refused(LOCATION, input, named));
});
