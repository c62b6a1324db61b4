import { startTestApp, type TestApp } from "./support/test-app";
import {
  EVENT_PAGE_FIELDS,
  expectBadUserInput,
  idsOf,
  ingestScenario,
  timelinePage,
  TIMELINE_QUERY,
  uniqueWord,
  type EventPage,
  type EventSpec,
  type Scenario,
  type TimelineVariables,
} from "./support/timeline";

const COUNT = 23;
let app: TestApp;
let scenario: Scenario;
let slugs: { region: string; city: string; participant: string };
/** The scenario's events by index, as specified (not as stored). */
let specs: EventSpec[];

// Three events a day from 2024-03-01, so most days hold a tie on occurredAt. Event 0 is dated by
// its month and event 4 by a time, both at 00:00 of a tied day: precision does not change the order.
// Written in a scrambled order, so that ids do not follow dates and ties are broken by id alone.
function buildSpecs(tag: string): EventSpec[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const day = String(Math.floor(i / 3) + 1).padStart(2, "0");
    const date = i === 0 ? "2024-03" : i === 4 ? `2024-03-${day}T00:00:00Z` : `2024-03-${day}`;
    return {
      key: `e${i}`,
      date,
      location: i % 4 === 0 ? `city-${tag}` : `region-${tag}`,
      participants: i % 3 === 1 ? [{ participant: `group-${tag}`, role: "ACTOR" }] : [],
      category: i % 2 ? "ATTACK" : "AIRSTRIKE",
    };
  });
}
const keysWhere = (test: (i: number) => boolean) => specs.map((spec) => spec.key).filter((_, i) => test(i));

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueWord();
  slugs = { region: `region-${tag}`, city: `city-${tag}`, participant: `group-${tag}` };
  specs = buildSpecs(tag);
  const scrambled = specs.map((_, j) => specs[(j * 7) % COUNT]);
  scenario = await ingestScenario(app, scrambled, {
    tag,
    locations: [
      { slug: slugs.region, name: `Region ${tag}`, kind: "REGION", parent: `place-${tag}` },
      { slug: slugs.city, name: `City ${tag}`, kind: "CITY", parent: slugs.region },
    ],
    participants: [{ slug: slugs.participant, name: `Group ${tag}`, kind: "ARMED_GROUP" }],
  });
});

afterAll(async () => {
  await app.close();
});

const scoped = () => ({ locations: [scenario.place] });

/** Follows endCursor (forward) or startCursor (backward) until the connection says there is no more. */
async function walk(
  fetch: (cursor: string | undefined) => Promise<EventPage>,
  backward = false,
): Promise<EventPage[]> {
  const pages: EventPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetch(cursor);
    pages.push(page);
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more || pages.length > COUNT + 1) return pages;
    cursor = (backward ? page.pageInfo.startCursor : page.pageInfo.endCursor) ?? undefined;
  }
}

/** Splits a list into pages of `size`, the way the server should. */
function chunk<T>(list: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}

/** Each page's start/end cursors are its first and last edges', and totalCount never moves. */
function expectConsistentPages(pages: EventPage[], totalCount: number): void {
  for (const page of pages) {
    expect(page.totalCount).toBe(totalCount);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
  }
}

test("the full list is in (occurredAt, id) order, with ties on occurredAt broken by id", async () => {
  const page = await timelinePage(app, { filter: scoped(), first: 100 });
  expect(idsOf(page)).toEqual(scenario.ordered);
  expect(page.totalCount).toBe(COUNT);
  expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });

  const nodes = page.edges.map((edge) => edge.node);
  const tied = nodes.slice(1).filter((node, i) => node.occurredAt === nodes[i].occurredAt);
  expect(tied.length).toBeGreaterThanOrEqual(COUNT / 2);
  nodes.slice(1).forEach((node, i) => {
    const before = nodes[i];
    expect(before.occurredAt <= node.occurredAt).toBe(true);
    if (before.occurredAt === node.occurredAt) expect(Number(before.id)).toBeLessThan(Number(node.id));
  });
});

test.each([1, 5, 22, 23])("forward with first=%i following endCursor covers the list once, in order", async (size) => {
  const pages = await walk((after) => timelinePage(app, { filter: scoped(), first: size, after }));
  const expected = chunk(scenario.ordered, size);
  expect(pages.map(idsOf)).toEqual(expected);
  expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual(expected.map((_, i) => i < expected.length - 1));
  expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(expected.map((_, i) => i > 0));
  expectConsistentPages(pages, COUNT);
});

test.each([1, 5, 23])("backward with last=%i following startCursor covers the list once, in order", async (size) => {
  const pages = await walk((before) => timelinePage(app, { filter: scoped(), last: size, before }), true);
  // Going back, the first page served is the end of the list; a short page, if any, is at the start.
  const reversed = [...scenario.ordered].reverse();
  const expected = chunk(reversed, size).map((page) => page.reverse());
  expect(pages.map(idsOf)).toEqual(expected);
  expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(expected.map((_, i) => i < expected.length - 1));
  expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual(expected.map((_, i) => i > 0));
  expectConsistentPages(pages, COUNT);
});

test("going back from any forward page with last/before gives exactly the page before it", async () => {
  const pages = await walk((after) => timelinePage(app, { filter: scoped(), first: 5, after }));
  expect(pages).toHaveLength(Math.ceil(COUNT / 5));
  for (let i = 1; i < pages.length; i++) {
    const back = await timelinePage(app, { filter: scoped(), last: 5, before: pages[i].pageInfo.startCursor! });
    expect(idsOf(back)).toEqual(idsOf(pages[i - 1]));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: i > 1 });
    // And forward again from there lands on the page we came from.
    const again = await timelinePage(app, { filter: scoped(), first: 5, after: back.pageInfo.endCursor! });
    expect(idsOf(again)).toEqual(idsOf(pages[i]));
  }
});

describe("DESC", () => {
  test("is exactly the reverse of ASC, ties included", async () => {
    const page = await timelinePage(app, { filter: scoped(), order: "DESC", first: 100 });
    expect(idsOf(page)).toEqual([...scenario.ordered].reverse());
    expect(page.totalCount).toBe(COUNT);
  });

  test("pages forward with first/after through the reversed list", async () => {
    const pages = await walk((after) => timelinePage(app, { filter: scoped(), order: "DESC", first: 5, after }));
    const expected = chunk([...scenario.ordered].reverse(), 5);
    expect(pages.map(idsOf)).toEqual(expected);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual(expected.map((_, i) => i < expected.length - 1));
    expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(expected.map((_, i) => i > 0));
    expectConsistentPages(pages, COUNT);
  });

  test("pages backward with last/before from the oldest event to the newest", async () => {
    const pages = await walk((before) => timelinePage(app, { filter: scoped(), order: "DESC", last: 5, before }), true);
    const expected = chunk(scenario.ordered, 5).map((page) => page.reverse());
    expect(pages.map(idsOf)).toEqual(expected);
    expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(expected.map((_, i) => i < expected.length - 1));
    expectConsistentPages(pages, COUNT);
  });
});

describe("page size", () => {
  test("defaults to 20 going forward and going back", async () => {
    const forward = await timelinePage(app, { filter: scoped() });
    expect(idsOf(forward)).toEqual(scenario.ordered.slice(0, 20));
    expect(forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const full = await timelinePage(app, { filter: scoped(), first: 100 });
    const back = await timelinePage(app, { filter: scoped(), before: full.edges[COUNT - 1].cursor });
    expect(idsOf(back)).toEqual(scenario.ordered.slice(COUNT - 21, COUNT - 1));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  test("accepts 1 and 100", async () => {
    expect(idsOf(await timelinePage(app, { filter: scoped(), first: 1 }))).toEqual(scenario.ordered.slice(0, 1));
    expect(idsOf(await timelinePage(app, { filter: scoped(), last: 1 }))).toEqual(scenario.ordered.slice(-1));
    expect(idsOf(await timelinePage(app, { filter: scoped(), last: 100 }))).toEqual(scenario.ordered);
  });

  test.each([
    { first: 0 },
    { first: 101 },
    { first: -1 },
    { last: 0 },
    { last: 101 },
    { last: -1 },
  ])("%o is BAD_USER_INPUT naming the argument", async (args) => {
    const result = await app.query(TIMELINE_QUERY, { filter: scoped(), ...args });
    expectBadUserInput(result, Object.keys(args)[0]);
    expect(result.data?.timeline ?? null).toBeNull();
  });
});

test.each<Partial<Record<keyof TimelineVariables, "size" | "cursor">>>([
  { first: "size", last: "size" },
  { first: "size", before: "cursor" },
  { after: "cursor", last: "size" },
  { after: "cursor", before: "cursor" },
])("mixing forward and backward arguments %o is BAD_USER_INPUT", async (shape) => {
  const { edges } = await timelinePage(app, { filter: scoped(), first: 3 });
  const variables = Object.fromEntries(Object.entries(shape).map(([arg, kind]) => [arg, kind === "size" ? 2 : edges[1].cursor]));
  const result = await app.query(TIMELINE_QUERY, { filter: scoped(), ...variables });
  expectBadUserInput(result);
  expect(result.data?.timeline ?? null).toBeNull();
});

describe("cursors the server did not issue are BAD_USER_INPUT", () => {
  const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
  const foreign: Array<[string, () => Promise<string>]> = [
    ["garbage", async () => "not a cursor!"],
    ["an empty string", async () => ""],
    ["plain base64 of random JSON", async () => Buffer.from(JSON.stringify({ id: 7, at: "2024-03-01", page: [1, 2] })).toString("base64")],
    ["base64url of random JSON", async () => base64url(JSON.stringify({ offset: 20 }))],
    ["a versioned cursor holding an object", async () => base64url('c1:{"occurredAt":1,"id":1}')],
    ["a versioned cursor with too many keys", async () => base64url("c1:[1709251200000,0,1,1]")],
    ["a cursor from before time windows (date and id only)", async () => base64url("c1:[1709251200000,1]")],
    ["a versioned cursor with a string date", async () => base64url('c1:["2024-03-01",0,1]')],
    ["a versioned cursor with a fractional id", async () => base64url("c1:[1709251200000,0,1.5]")],
    [
      "a cursor from the participants connection",
      async () => (await app.query(`{ participants(first: 1) { pageInfo { endCursor } } }`)).data!.participants.pageInfo.endCursor,
    ],
    [
      "a cursor from the locations connection",
      async () => (await app.query(`{ locations(first: 1) { pageInfo { endCursor } } }`)).data!.locations.pageInfo.endCursor,
    ],
    // Well-formed but out of range: no event could have these keys.
    ["a versioned cursor with a date past the end of time", async () => base64url("c1:[9000000000000000,0,1]")],
    ["a versioned cursor with a date before the calendar", async () => base64url("c1:[-8000000000000000,0,1]")],
    ["a versioned cursor with an id beyond any int", async () => base64url("c1:[1709251200000,0,2147483648]")],
  ];

  test.each(foreign)("%s, as after or before", async (_, make) => {
    const cursor = await make();
    expect(typeof cursor).toBe("string");
    const forward = await app.query(TIMELINE_QUERY, { filter: scoped(), first: 5, after: cursor });
    expectBadUserInput(forward, "after");
    expect(forward.data?.timeline ?? null).toBeNull();
    const backward = await app.query(TIMELINE_QUERY, { filter: scoped(), last: 5, before: cursor });
    expectBadUserInput(backward, "before");
    expect(backward.data?.timeline ?? null).toBeNull();
  });
});

describe("Participant.events and Location.events", () => {
  const nested = (parent: "participant" | "location") => `
    query($slug: String!, $filter: TimelineFilter, $order: SortOrder, $first: Int, $after: String) {
      ${parent}(slug: $slug) { events(filter: $filter, order: $order, first: $first, after: $after) { ${EVENT_PAGE_FIELDS} } }
    }`;

  async function nestedPage(
    parent: "participant" | "location",
    variables: { slug: string } & Pick<TimelineVariables, "filter" | "order" | "first" | "after">,
  ): Promise<EventPage> {
    const result = await app.query<Record<string, { events: EventPage }>>(nested(parent), { ...variables });
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    return result.data![parent].events;
  }

  test.each([
    { parent: "participant" as const, keys: () => keysWhere((i) => i % 3 === 1), slug: () => slugs.participant },
    { parent: "location" as const, keys: () => keysWhere((i) => i % 4 === 0), slug: () => slugs.city },
    { parent: "location" as const, keys: () => keysWhere(() => true), slug: () => slugs.region },
  ])("$parent.events pages forward in both orders", async ({ parent, keys, slug }) => {
    const expected = scenario.ids(keys());
    for (const [order, list] of [
      ["ASC", expected],
      ["DESC", [...expected].reverse()],
    ] as const) {
      const pages = await walk((after) => nestedPage(parent, { slug: slug(), order, first: 3, after }));
      expect(pages.map(idsOf)).toEqual(chunk(list, 3));
      expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual(chunk(list, 3).map((_, i, all) => i < all.length - 1));
      expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(chunk(list, 3).map((_, i) => i > 0));
      expectConsistentPages(pages, expected.length);
    }
  });

  test("Participant.events narrows further by its filter (AND with the participant)", async () => {
    const inCity = await nestedPage("participant", { slug: slugs.participant, filter: { locations: [slugs.city] }, first: 100 });
    expect(idsOf(inCity)).toEqual(scenario.ids(keysWhere((i) => i % 3 === 1 && i % 4 === 0)));
    expect(inCity.totalCount).toBe(inCity.edges.length);

    const early = await nestedPage("participant", { slug: slugs.participant, filter: { to: "2024-03-04", categories: ["ATTACK"] }, first: 100 });
    // Days 1-4 are events 0-11; ATTACK is every odd one.
    expect(idsOf(early)).toEqual(scenario.ids(keysWhere((i) => i % 3 === 1 && i < 12 && i % 2 === 1)));
  });

  test("Location.events narrows further by its filter, and a location filter cannot widen it", async () => {
    const cityOnly = await nestedPage("location", { slug: slugs.region, filter: { locations: [slugs.city] }, first: 100 });
    expect(idsOf(cityOnly)).toEqual(scenario.ids(keysWhere((i) => i % 4 === 0)));

    const widened = await nestedPage("location", { slug: slugs.city, filter: { locations: [slugs.region] }, first: 100 });
    expect(idsOf(widened)).toEqual(scenario.ids(keysWhere((i) => i % 4 === 0)));

    const involved = await nestedPage("location", { slug: slugs.region, filter: { participants: [slugs.participant] }, first: 2 });
    expect(involved.totalCount).toBe(keysWhere((i) => i % 3 === 1).length);
    expect(idsOf(involved)).toEqual(scenario.ids(keysWhere((i) => i % 3 === 1)).slice(0, 2));
  });

  test.each(["participant", "location"] as const)("%s.events rejects a bad page size or cursor", async (parent) => {
    const slug = parent === "participant" ? slugs.participant : slugs.region;
    for (const args of [{ first: 0 }, { first: 101 }, { after: "not a cursor!" }]) {
      const result = await app.query(nested(parent), { slug, ...args });
      expectBadUserInput(result, Object.keys(args)[0]);
      expect(result.data?.[parent] ?? null).toBeNull();
    }
  });
});
