import { fingerprint } from "./support/fingerprint";
import { uniqueTag } from "./support/factories";
import { startTestApp, type GraphQLResult, type TestApp } from "./support/test-app";
import { expectBadUserInput } from "./support/timeline";

const EVENT_FIELDS = `id title summary date precision category status fatalities injured
  location { slug } participants { role participant { slug } } causes { id }`;
const INGEST = `mutation Ingest($input: ArticleInput!) {
  ingestArticle(input: $input) {
    created updated
    source { id url title publisher author publishedAt events { id } }
    events { ${EVENT_FIELDS} }
  }
}`;
const READ = `query($id: ID!) { event(id: $id) { ${EVENT_FIELDS} sources { url } } }`;

type Json = Record<string, any>;

let app: TestApp;
let seedEventId: string;

beforeAll(async () => {
  app = await startTestApp();
  const { data } = await app.query(`{ timeline(first: 1, filter: { search: "talks" }) { edges { node { id } } } }`);
  seedEventId = data!.timeline.edges[0].node.id;
});
afterAll(() => app.close());

/**
 * An article of three events at a new place with a new participant of its own, keys given out
 * of time order ("b" is the earliest), so any partial write of it would show in the fingerprint.
 */
function article(tag = uniqueTag()): Json {
  const place = `place-${tag}`;
  const actor = `actor-${tag}`;
  return {
    url: `https://example.org/ingest/${tag}`,
    title: `  Report ${tag}  `,
    publisher: "Example Wire",
    author: "A. Reporter",
    publishedAt: "2024-02-01T12:00:00Z",
    locations: [{ slug: place, name: `Place ${tag}`, kind: "REGION", parent: "pakistan" }],
    participants: [{ slug: actor, name: `Actor ${tag}`, kind: "ARMED_GROUP", country: "pakistan" }],
    events: [
      {
        key: "a",
        title: `Strike ${tag}`,
        date: "2024-01-20",
        category: "AIRSTRIKE",
        fatalities: 3,
        location: place,
        participants: [{ participant: actor, role: "ACTOR" }],
      },
      { key: "b", title: `Clash ${tag}`, date: "2024-01", category: "ARMED_CLASH", location: place },
      {
        key: "c",
        title: `Talks ${tag}`,
        summary: "Envoys meet.",
        date: "2024-01-25T09:30:00+05:00",
        category: "DIPLOMACY",
        status: "PLANNED",
        causes: ["a"],
        participants: [
          { participant: "pakistan", role: "HOST" },
          { participant: "iran", role: "PARTICIPANT" },
        ],
      },
    ],
  };
}

async function send(input: Json): Promise<GraphQLResult<Json>> {
  return app.write(INGEST, { input });
}

async function ingest(input: Json): Promise<Json> {
  const result = await send(input);
  expect(result.errors).toBeUndefined();
  return result.data!.ingestArticle;
}

/** Ingests, expects BAD_USER_INPUT naming each fragment, and proves nothing was written. */
async function expectRefused(input: Json, ...fragments: string[]): Promise<void> {
  const before = await fingerprint(app);
  expectBadUserInput(await send(input), ...fragments);
  expect(await fingerprint(app)).toEqual(before);
}

const byTitle = (events: Json[], prefix: string) => events.find((event) => event.title.startsWith(prefix))!;

async function updatedAt(ids: string[]): Promise<Record<string, string>> {
  const rows = await app.db.prisma.event.findMany({ where: { id: { in: ids.map(Number) } }, select: { id: true, updatedAt: true } });
  return Object.fromEntries(rows.map((row) => [String(row.id), row.updatedAt.toISOString()]));
}

describe("ingestArticle, a new article", () => {
  it("creates every event, returns them in time order with the source's fields", async () => {
    const tag = uniqueTag();
    const result = await ingest(article(tag));
    expect(result.created).toBe(3);
    expect(result.updated).toBe(0);
    expect(result.source).toMatchObject({
      url: `https://example.org/ingest/${tag}`,
      title: `Report ${tag}`,
      publisher: "Example Wire",
      author: "A. Reporter",
      publishedAt: "2024-02-01T12:00:00.000Z",
    });
    expect(result.events.map((event: Json) => event.title)).toEqual([`Clash ${tag}`, `Strike ${tag}`, `Talks ${tag}`]);
    expect(result.source.events.map((event: Json) => event.id).sort()).toEqual(result.events.map((event: Json) => event.id).sort());

    const [clash, strike, talks] = result.events;
    expect(strike).toMatchObject({
      date: "2024-01-20",
      precision: "DAY",
      category: "AIRSTRIKE",
      status: "OCCURRED",
      fatalities: 3,
      injured: null,
      location: { slug: `place-${tag}` },
      participants: [{ role: "ACTOR", participant: { slug: `actor-${tag}` } }],
      causes: [],
    });
    expect(clash).toMatchObject({ date: "2024-01", precision: "MONTH", location: { slug: `place-${tag}` } });
    expect(talks).toMatchObject({
      date: "2024-01-25T04:30:00.000Z",
      precision: "TIME",
      status: "PLANNED",
      summary: "Envoys meet.",
      location: null,
      causes: [{ id: strike.id }],
    });
    expect(talks.participants).toHaveLength(2);

    const read = await app.query(READ, { id: talks.id });
    expect(read.data!.event).toEqual({ ...talks, sources: [{ url: result.source.url }] });
  });

  it("needs the write token", async () => {
    const before = await fingerprint(app);
    const result = await app.query(INGEST, { input: article() });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(await fingerprint(app)).toEqual(before);
  });
});

describe("ingestArticle, the same article again", () => {
  it("changes nothing when nothing changed", async () => {
    const input = article();
    const first = await ingest(input);
    const before = await fingerprint(app);
    const again = await ingest(input);
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect(again.events).toEqual(first.events);
    expect(again.source.id).toBe(first.source.id);
    expect(await fingerprint(app)).toEqual(before);
  });

  it("updates the changed event, creates the new one and leaves the rest untouched", async () => {
    const tag = uniqueTag();
    const input = article(tag);
    const first = await ingest(input);
    const untouched = [byTitle(first.events, "Clash").id, byTitle(first.events, "Talks").id];
    const stamps = await updatedAt(untouched);

    input.events[0].title = `Strikes ${tag}, revised`;
    input.events.push({ key: "d", title: `Protest ${tag}`, date: "2024-01-26", category: "PROTEST", location: input.locations[0].slug });
    const again = await ingest(input);

    expect(again).toMatchObject({ created: 1, updated: 1 });
    expect(again.events).toHaveLength(4);
    expect(byTitle(again.events, "Strikes").id).toBe(byTitle(first.events, "Strike").id);
    expect(byTitle(again.events, "Talks")).toEqual(byTitle(first.events, "Talks"));
    expect(byTitle(again.events, "Clash")).toEqual(byTitle(first.events, "Clash"));
    expect(await updatedAt(untouched)).toEqual(stamps);

    const place = await app.query(`query($slug: String!) { location(slug: $slug) { events { totalCount edges { node { title } } } } }`, {
      slug: input.locations[0].slug,
    });
    expect(place.data!.location.events.totalCount).toBe(3);
    expect(await app.db.prisma.eventSource.count({ where: { sourceId: Number(first.source.id) } })).toBe(4);
  });

  it("counts an event whose causes changed as updated", async () => {
    const input = article();
    const first = await ingest(input);
    input.events[2].causes = ["a", "b"];
    const again = await ingest(input);
    // The talks, and the clash (b): an event it responded to now bounds its time window.
    expect(again).toMatchObject({ created: 0, updated: 2 });
    const talks = byTitle(again.events, "Talks");
    expect(talks.causes.map((cause: Json) => cause.id).sort()).toEqual([byTitle(first.events, "Strike").id, byTitle(first.events, "Clash").id].sort());

    input.events[2].causes = [];
    expect(await ingest(input)).toMatchObject({ created: 0, updated: 2 });
    expect((await app.query(READ, { id: talks.id })).data!.event.causes).toEqual([]);
  });

  it("takes causes by key within the article and by id of an event already stored", async () => {
    const input = article();
    input.events[1].causes = [seedEventId, "a"];
    const result = await ingest(input);
    const clash = byTitle(result.events, "Clash");
    expect(clash.causes.map((cause: Json) => cause.id).sort()).toEqual([seedEventId, byTitle(result.events, "Strike").id].sort());
    const seedEvent = await app.query(`query($id: ID!) { event(id: $id) { consequences { id } } }`, { id: seedEventId });
    expect(seedEvent.data!.event.consequences).toContainEqual({ id: clash.id });
  });

  it("finds its events by their keys as trimmed, so spacing around a key makes no duplicate", async () => {
    const input = article();
    const spaced = { ...input, events: input.events.map((event: Json) => ({ ...event, key: ` ${event.key} `, causes: event.causes?.map((c: string) => ` ${c}`) })) };
    const first = await ingest(spaced);
    expect(first.created).toBe(3);
    const before = await fingerprint(app);
    expect(await ingest(input)).toMatchObject({ created: 0, updated: 0 });
    expect(await fingerprint(app)).toEqual(before);
  });

  it("treats a url that differs only in its #fragment as the same article", async () => {
    const input = article();
    const first = await ingest(input);
    const before = await fingerprint(app);
    const again = await ingest({ ...input, url: `${input.url}#comments` });
    expect(again).toMatchObject({ created: 0, updated: 0, source: { id: first.source.id, url: input.url } });
    expect(await fingerprint(app)).toEqual(before);
  });
});

// Each case spoils the third event ("bad-one") of an otherwise good article.
const BAD_THIRD_EVENT: Array<[string, Json, string[]]> = [
  ["an unknown participant", { participants: [{ participant: "nobody-at-all", role: "ACTOR" }] }, ['"bad-one"', "nobody-at-all"]],
  ["an unknown location", { location: "nowhere-at-all" }, ['"bad-one"', "nowhere-at-all"]],
  ["negative fatalities", { fatalities: -1 }, ['"bad-one"', "fatalities"]],
  ["injured beyond any event", { injured: 10_000_001 }, ['"bad-one"', "injured"]],
  ["a cause key that does not exist", { causes: ["a", "no-such-key"] }, ['"bad-one"', "no-such-key"]],
  ["a cause id that does not exist", { causes: ["2147483000"] }, ['"bad-one"', "2147483000"]],
  ["itself as a cause", { causes: ["bad-one"] }, ['"bad-one"', "cause itself"]],
  ["an empty title", { title: " \t " }, ['"bad-one"', "title"]],
  ["a NUL byte in its summary", { summary: "before\u0000after" }, ['"bad-one"', "summary"]],
  ["a title past the limit", { title: "x".repeat(301) }, ['"bad-one"', "title"]],
  ["a lone surrogate in its title", { title: "broken \ud800 text" }, ['"bad-one"', "well-formed"]],
];

describe("ingestArticle refuses the whole article, writing nothing", () => {
  it.each(BAD_THIRD_EVENT)("when its third event has %s", async (_name, spoil, fragments) => {
    const input = article();
    input.events[2] = { ...input.events[2], key: "bad-one", ...spoil };
    await expectRefused(input, ...fragments);
  });

  it("when its third event reuses a key", async () => {
    const input = article();
    input.events[2].key = "a";
    await expectRefused(input, 'key "a"', "events[2]");
  });

  it("when its third event has an impossible date", async () => {
    const input = article();
    input.events[2] = { ...input.events[2], key: "bad-one", date: "2024-02-30" };
    // The PartialDate scalar refuses it while graphql-js coerces the variables, before the
    // resolver sees the key: the message names the event by its position instead.
    await expectRefused(input, "events[2]", "2024-02-30");
  });

  it("when a cause would close a cycle with stored links", async () => {
    const input = article();
    const first = await ingest(input);
    // "c" already follows from "a": "a" responding to "c" would make a loop.
    input.events[0].causes = ["c"];
    const before = await fingerprint(app);
    expectBadUserInput(await send(input), '"a"', "causes");
    expect(await fingerprint(app)).toEqual(before);
    expect(first.created).toBe(3);
  });

  it.each([
    ["ftp://example.org/a"],
    ["javascript:alert(1)"],
    ["example.org/no-scheme"],
    ["   "],
  ])("when its url is %j", async (url) => {
    await expectRefused({ ...article(), url }, "url");
  });

  it("when its title is empty", async () => {
    await expectRefused({ ...article(), title: "  " }, "title");
  });

  it("when its locations' parents form a cycle", async () => {
    const tag = uniqueTag();
    const input = article(tag);
    input.locations.push(
      { slug: `left-${tag}`, name: `Left ${tag}`, kind: "CITY", parent: `right-${tag}` },
      { slug: `right-${tag}`, name: `Right ${tag}`, kind: "CITY", parent: `left-${tag}` },
    );
    await expectRefused(input, "locations", "cycle");
  });

  it("when a location's new parent lies within it", async () => {
    const tag = uniqueTag();
    const outer = { slug: `outer-${tag}`, name: `Outer ${tag}`, kind: "REGION", parent: "pakistan" };
    const inner = { slug: `inner-${tag}`, name: `Inner ${tag}`, kind: "REGION", parent: outer.slug };
    await ingest({ ...article(tag), locations: [...article(tag).locations, outer, inner] });

    const input = article();
    input.locations.push({ ...outer, parent: inner.slug });
    await expectRefused(input, `inner-${tag}`, "cycle");
  });

  it("when a participant's country is not a COUNTRY", async () => {
    const input = article();
    input.participants[0].country = "baluchistan";
    await expectRefused(input, "participants[0].country", "COUNTRY");
  });
});
