import { ingestScenario } from "./support/timeline";
import { fingerprint } from "./support/fingerprint";
import { startTestApp, type TestApp } from "./support/test-app";

// TimelineFilter.roles, near and box, against answers counted by hand from the seed (see
// seed/ap-2024-01-29-iran-pakistan.json: who took which role where) and from places made here.

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const TITLES = `query($filter: TimelineFilter, $first: Int) {
  timeline(filter: $filter, first: $first) { totalCount edges { node { title } } } }`;

async function titles(filter: Record<string, unknown>): Promise<string[]> {
  const result = await app.query<{ timeline: { totalCount: number; edges: Array<{ node: { title: string } }> } }>(TITLES, { filter, first: 100 });
  expect(result.errors).toBeUndefined();
  const page = result.data!.timeline;
  expect(page.totalCount).toBe(page.edges.length);
  return page.edges.map((edge) => edge.node.title).sort();
}

async function refused(filter: Record<string, unknown>, fragment: string): Promise<void> {
  const before = await fingerprint(app);
  const result = await app.query(TITLES, { filter, first: 5 });
  expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  expect(result.errors![0].message).toContain(fragment);
  expect(await fingerprint(app)).toEqual(before);
}

const RECALL = "Pakistan recalls its ambassadors from Tehran";
const IRAN_STRIKES = "Iran launches airstrikes in Pakistan's Baluchistan province";
const PAKISTAN_STRIKES = "Pakistan launches retaliatory airstrikes in Iran's Sistan and Baluchestan province";

describe("roles", () => {
  it("with participants: only where one of them took one of the roles", async () => {
    // Iran is the recall's TARGET; in the strikes it is ACTOR, then VICTIM; in the talks a PARTICIPANT.
    expect(await titles({ participants: ["iran"], roles: ["TARGET"] })).toEqual([RECALL]);
    expect(await titles({ participants: ["iran"], roles: ["TARGET", "VICTIM"] })).toEqual([PAKISTAN_STRIKES, RECALL].sort());
    expect(await titles({ participants: ["iran", "jaish-al-adl"], roles: ["TARGET"] })).toEqual([IRAN_STRIKES, RECALL].sort());
    expect(await titles({ participants: ["iran"], roles: ["MEDIATOR"] })).toEqual([]);
  });

  it("alone: events where anyone took one of them", async () => {
    // Pakistan hosts the talks and the planned briefing, Kakar the planned meeting.
    const hosted = await titles({ roles: ["HOST"] });
    expect(hosted).toHaveLength(3);
    expect(hosted.every((title) => /arrives in Islamabad|prime minister|to brief/.test(title))).toBe(true);
    const all = await titles({});
    // Every seed event has an ACTOR, a PARTICIPANT or a HOST: together they are all the events.
    expect(await titles({ roles: ["ACTOR", "PARTICIPANT", "HOST"] })).toEqual(all);
  });

  it("applies to the participant of Participant.events, and counts the same in the figures", async () => {
    const result = await app.query<{ participant: { events: { totalCount: number; edges: Array<{ node: { title: string } }> } } }>(
      `{ participant(slug: "iran") { events(filter: { roles: [ACTOR] }) { totalCount edges { node { title } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.participant.events.edges.map((edge) => edge.node.title)).toEqual([IRAN_STRIKES]);
    const stats = await app.query<{ timelineStats: { count: number } }>(
      `{ timelineStats(filter: { participants: ["iran"], roles: [TARGET, VICTIM] }) { count } }`,
    );
    expect(stats.data!.timelineStats.count).toBe(2);
  });

  it("refuses a role that is not one", async () => {
    const result = await app.query(TITLES, { filter: { roles: ["BYSTANDER"] } });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("near", () => {
  const ISLAMABAD = { latitude: 33.6844, longitude: 73.0479 };

  it("finds the events at places within the radius, great-circle", async () => {
    // Within 50 km of Islamabad: the city, its capital territory and the foreign ministry; the
    // country's centroid (30.4 N, 69.3 E) is about 500 km away.
    const near = await titles({ near: { ...ISLAMABAD, radiusKm: 50 } });
    expect(near).toHaveLength(4);
    expect(near.every((title) => /arrives in Islamabad|prime minister|news conference|to brief/.test(title))).toBe(true);
    // Baluchistan's centroid (28.49 N, 65.10 E) is 953 km from Islamabad, Sistan and Baluchestan's 1,375 km.
    expect(await titles({ near: { ...ISLAMABAD, radiusKm: 950 } })).not.toContain(IRAN_STRIKES);
    expect(await titles({ near: { ...ISLAMABAD, radiusKm: 955 } })).toContain(IRAN_STRIKES);
    expect(await titles({ near: { ...ISLAMABAD, radiusKm: 955 } })).not.toContain(PAKISTAN_STRIKES);
  });

  describe("with places made here", () => {
    beforeAll(async () => {
      await ingestScenario(
        app,
        [
          { key: "at-island", date: "2024-03-01", location: "island-geo" },
          { key: "at-site", date: "2024-03-02", location: "site-geo" },
          { key: "at-far-site", date: "2024-03-03", location: "far-site-geo" },
          { key: "east-of-line", date: "2024-03-04", location: "east-geo" },
          { key: "west-of-line", date: "2024-03-05", location: "west-geo" },
        ],
        {
          tag: "geo",
          locations: [
            // A country in the Pacific with its own coordinates, a site within it without any
            // (it takes the country's), and a site with coordinates of its own, far away.
            { slug: "island-geo", name: "Island", kind: "COUNTRY", latitude: -17.7, longitude: 178.0 },
            { slug: "site-geo", name: "Site without coordinates", kind: "SITE", parent: "island-geo" },
            { slug: "far-site-geo", name: "Site far away", kind: "SITE", parent: "island-geo", latitude: -40.0, longitude: 175.0 },
            // Either side of the antimeridian, and one west of the box below.
            { slug: "east-geo", name: "East of the line", kind: "COUNTRY", latitude: -13.8, longitude: -172.1 },
            { slug: "west-geo", name: "West of the box", kind: "COUNTRY", latitude: -15.0, longitude: 168.0 },
          ],
        },
      );
    });

    it("gives a place without coordinates its nearest ancestor's", async () => {
      const found = await titles({ near: { latitude: -17.7, longitude: 178.0, radiusKm: 10 } });
      expect(found).toEqual([`Event at-island geo`, `Event at-site geo`].sort());
    });

    it("crosses the antimeridian: the island at 178 E and the place at 172.1 W are 1,146 km apart", async () => {
      expect(await titles({ near: { latitude: -17.7, longitude: 178.0, radiusKm: 1100 } })).not.toContain("Event east-of-line geo");
      const found = await titles({ near: { latitude: -17.7, longitude: 178.0, radiusKm: 1200 } });
      expect(found).toContain("Event east-of-line geo");
      expect(found).not.toContain("Event at-far-site geo");
    });

    it("box: across the antimeridian when west > east, a place inheriting its ancestor's coordinates", async () => {
      const box = { south: -20, west: 175, north: -10, east: -170 };
      expect(await titles({ box })).toEqual(["Event at-island geo", "Event at-site geo", "Event east-of-line geo"].sort());
      // The same box the other way round is everything else at those latitudes.
      const rest = await titles({ box: { ...box, west: -170, east: 175 } });
      expect(rest).toContain("Event west-of-line geo");
      expect(rest).not.toContain("Event at-island geo");
      // Combined with a location filter: both must hold.
      expect(await titles({ box, locations: ["island-geo"] })).toEqual(["Event at-island geo", "Event at-site geo"]);
    });
  });

  it("refuses coordinates off the globe and radii out of range, and changes nothing", async () => {
    await refused({ near: { ...ISLAMABAD, radiusKm: 0 } }, "radiusKm");
    await refused({ near: { ...ISLAMABAD, radiusKm: -5 } }, "radiusKm");
    await refused({ near: { ...ISLAMABAD, radiusKm: 20_000.5 } }, "radiusKm");
    await refused({ near: { latitude: 90.01, longitude: 0, radiusKm: 1 } }, "latitude");
    await refused({ near: { latitude: 0, longitude: -180.5, radiusKm: 1 } }, "longitude");
    await refused({ box: { south: 10, west: 0, north: 5, east: 1 } }, "south");
    await refused({ box: { south: -91, west: 0, north: 5, east: 1 } }, "south");
    await refused({ box: { south: 0, west: 0, north: 5, east: 181 } }, "east");
    const wrongType = await app.query(TITLES, { filter: { near: { latitude: "north", longitude: 0, radiusKm: 1 } } });
    expect(wrongType.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    // The edges themselves are fine.
    expect(await titles({ near: { latitude: 90, longitude: 180, radiusKm: 20_000 } })).toEqual(await titles({}));
  });
});

describe("in the exports' query parameters", () => {
  let base: string;
  beforeAll(async () => {
    base = await app.listen();
  });

  const csvRows = async (query: string) => {
    const response = await fetch(`${base}/export/events.csv?${query}`);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n").slice(1);
    return lines.length;
  };

  it("takes roles, near, box and dateMatch as the filter does", async () => {
    expect(await csvRows("participants=iran&roles=TARGET,VICTIM")).toBe((await titles({ participants: ["iran"], roles: ["TARGET", "VICTIM"] })).length);
    expect(await csvRows("near=33.6844,73.0479,50")).toBe((await titles({ near: { latitude: 33.6844, longitude: 73.0479, radiusKm: 50 } })).length);
    expect(await csvRows("box=25,60,35,75")).toBe((await titles({ box: { south: 25, west: 60, north: 35, east: 75 } })).length);
    expect(await csvRows("from=2024-01-30&dateMatch=WITHIN")).toBe((await titles({ from: "2024-01-30", dateMatch: "WITHIN" })).length);
  });

  it("refuses malformed ones with a 400 naming them", async () => {
    for (const [query, name] of [
      ["near=33.6,73.0", "near"],
      ["near=33.6,73.0,0", "radiusKm"],
      ["box=a,b,c,d", "box"],
      ["roles=BYSTANDER", "roles"],
      ["dateMatch=SOMETIME", "dateMatch"],
    ]) {
      const response = await fetch(`${base}/export/events.csv?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("BAD_USER_INPUT");
      expect(body.error.message).toContain(name);
    }
  });
});
