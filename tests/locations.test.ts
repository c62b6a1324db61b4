import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

let app: TestApp;
let tag: string;

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  await ingestArticle(app, {
    locations: [
      { slug: `site-${tag}`, name: `Old Fort ${tag}`, kind: "SITE", parent: `city-${tag}`, latitude: 10.5, longitude: -20.25 },
      { slug: `city-${tag}`, name: `Harbour ${tag}`, kind: "CITY", parent: `region-${tag}`, aliases: [`Port ${tag}`] },
      { slug: `region-${tag}`, name: `Coast ${tag}`, kind: "REGION", parent: `country-${tag}` },
      { slug: `other-${tag}`, name: `Inland ${tag}`, kind: "REGION", parent: `country-${tag}` },
      { slug: `country-${tag}`, name: `Republic ${tag}`, kind: "COUNTRY", countryCode: "ZZ" },
    ],
    events: [
      { key: "fort", title: `Fort event ${tag}`, date: "2022-03-04", category: "OTHER", location: `site-${tag}` },
      { key: "inland", title: `Inland event ${tag}`, date: "2022-03-05", category: "OTHER", location: `other-${tag}` },
      { key: "country", title: `Country event ${tag}`, date: "2022-03", category: "OTHER", location: `country-${tag}` },
    ],
  });
});
afterAll(() => app.close());

const eventsAt = async (slug: string) => {
  const { data } = await app.query(`{ location(slug: "${slug}") { events { totalCount edges { node { title } } } } }`);
  return data!.location.events.edges.map((edge: any) => edge.node.title);
};

describe("location(slug)", () => {
  it("walks up to the country and down to the children", async () => {
    const { data } = await app.query(`{ location(slug: "site-${tag}") {
      kind latitude longitude
      parent { slug parent { slug parent { slug countryCode children { slug } } } }
    } }`);
    expect(data!.location).toEqual({
      kind: "SITE",
      latitude: 10.5,
      longitude: -20.25,
      parent: {
        slug: `city-${tag}`,
        parent: {
          slug: `region-${tag}`,
          parent: { slug: `country-${tag}`, countryCode: "ZZ", children: [{ slug: `region-${tag}` }, { slug: `other-${tag}` }] },
        },
      },
    });
  });

  it("lists events here or anywhere within", async () => {
    expect(await eventsAt(`country-${tag}`)).toEqual([`Country event ${tag}`, `Fort event ${tag}`, `Inland event ${tag}`]);
    expect(await eventsAt(`region-${tag}`)).toEqual([`Fort event ${tag}`]);
    expect(await eventsAt(`site-${tag}`)).toEqual([`Fort event ${tag}`]);
  });

  it("narrows its events with a filter", async () => {
    const { data } = await app.query(`{ location(slug: "country-${tag}") {
      events(filter: { from: "2022-03-05" }, order: DESC) { edges { node { title } } }
    } }`);
    // The MONTH event covers the 5th too.
    expect(data!.location.events.edges.map((edge: any) => edge.node.title)).toEqual([
      `Inland event ${tag}`,
      `Country event ${tag}`,
    ]);
  });

  it("is null for an unknown slug", async () => {
    const { data, errors } = await app.query(`{ location(slug: "nowhere-${tag}") { slug } }`);
    expect(errors).toBeUndefined();
    expect(data!.location).toBeNull();
  });
});

describe("locations(search)", () => {
  it("finds a place by alias and filters by kind", async () => {
    const { data } = await app.query(`{ locations(search: "port ${tag}") { edges { node { slug } } } }`);
    expect(data!.locations.edges[0].node.slug).toBe(`city-${tag}`);
    const regions = await app.query(`{ locations(search: "${tag}", kind: REGION) { totalCount edges { node { slug } } } }`);
    expect(regions.data!.locations.totalCount).toBe(2);
    expect(regions.data!.locations.edges.map((edge: any) => edge.node.slug).sort()).toEqual(
      [`other-${tag}`, `region-${tag}`].sort(),
    );
  });

  it("finds the seed's places", async () => {
    const { data } = await app.query(`{ locations(search: "balochistan") { edges { node { slug countryCode } } } }`);
    expect(data!.locations.edges[0].node).toEqual({ slug: "baluchistan", countryCode: "PK" });
  });
});
