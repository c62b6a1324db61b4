import { startTestApp, type TestApp } from "./support/test-app";
import { expectBadUserInput, timelinePage, TIMELINE_QUERY, uniqueWord } from "./support/timeline";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

/** Runs the timeline with this filter and asserts BAD_USER_INPUT naming each fragment, and no timeline. */
async function expectRejected(filter: Record<string, unknown>, ...fragments: string[]): Promise<void> {
  const result = await app.query(TIMELINE_QUERY, { filter, first: 5 });
  expectBadUserInput(result, ...fragments);
  expect(result.data?.timeline ?? null).toBeNull();
}

describe("unknown slugs name themselves", () => {
  test("an unknown participant", async () => {
    const slug = `nobody-${uniqueWord()}`;
    await expectRejected({ participants: [slug] }, "filter.participants", `"${slug}"`);
  });

  test("an unknown location", async () => {
    const slug = `nowhere-${uniqueWord()}`;
    await expectRejected({ locations: [slug] }, "filter.locations", `"${slug}"`);
  });

  test("among known ones, only the unknown slugs are named", async () => {
    const [first, second] = [`nobody-${uniqueWord()}`, `nobody-${uniqueWord()}`];
    const result = await app.query(TIMELINE_QUERY, { filter: { participants: ["iran", first, "pakistan", second] } });
    expectBadUserInput(result, first, second);
    expect(result.errors![0].message).not.toContain('"iran"');
    expect(result.errors![0].message).not.toContain('"pakistan"');

    const place = `nowhere-${uniqueWord()}`;
    const located = await app.query(TIMELINE_QUERY, { filter: { locations: ["pakistan", place] } });
    expectBadUserInput(located, place);
    expect(located.errors![0].message).not.toContain('"pakistan"');
  });

  test("slugs are exact: a known slug in another case is unknown", async () => {
    await expectRejected({ participants: ["Iran"] }, '"Iran"');
    await expectRejected({ locations: ["PAKISTAN"] }, '"PAKISTAN"');
  });
});

describe("from after to", () => {
  test.each([
    { from: "2024-02", to: "2024-01" },
    { from: "2024-01-18", to: "2024-01-17" },
    { from: "2025", to: "2024-12-31" },
    { from: "2024-01-17T10:00:00.001Z", to: "2024-01-17T10:00:00Z" },
  ])("%o is BAD_USER_INPUT naming the bounds", async (bounds) => {
    await expectRejected(bounds, "from", "to");
  });

  test("bounds that share a period, or that touch, are accepted", async () => {
    for (const bounds of [
      { from: "2024-01", to: "2024-01" },
      { from: "2024-01-31", to: "2024-01" },
      { from: "2024-01", to: "2024-01-01" },
      { from: "2024-01-17T10:00:00Z", to: "2024-01-17T10:00:00Z" },
    ]) {
      const result = await app.query(TIMELINE_QUERY, { filter: bounds });
      expect(result.errors).toBeUndefined();
      expect(result.data?.timeline.edges.length).toBe(result.data?.timeline.totalCount);
    }
  });
});

test("a negative minFatalities is BAD_USER_INPUT; 0 is accepted", async () => {
  await expectRejected({ minFatalities: -1 }, "minFatalities");
  expect((await timelinePage(app, { filter: { minFatalities: 0 } })).totalCount).toBeGreaterThan(0);
});

test("an overlong search is BAD_USER_INPUT naming the field", async () => {
  await expectRejected({ search: "word ".repeat(60) }, "filter.search");
});

test("more than 100 values in a list is BAD_USER_INPUT naming the list", async () => {
  const slugs = Array.from({ length: 101 }, (_, i) => `slug-${i}`);
  await expectRejected({ participants: slugs }, "filter.participants");
  await expectRejected({ locations: slugs }, "filter.locations");
});

test("an unknown enum value in a variable is BAD_USER_INPUT naming the field", async () => {
  await expectRejected({ categories: ["NUKE"] }, "filter.categories", "NUKE");
  await expectRejected({ statuses: ["RUMOURED"] }, "filter.statuses", "RUMOURED");
});

describe("an invalid PartialDate is BAD_USER_INPUT", () => {
  const invalid = [
    "2024-13",
    "2024-00",
    "2024-02-30",
    "2023-02-29",
    "yesterday",
    "2024-1-5",
    "24-01",
    "2024-01-17T10:00:00",
    "2024-01-17T24:00:00Z",
    "",
  ];

  test.each(invalid.flatMap((value) => [{ field: "from", value }, { field: "to", value }]))(
    "$field: $value as a variable",
    async ({ field, value }) => {
      await expectRejected({ [field]: value }, `filter.${field}`, `"${value}"`);
    },
  );

  test.each(invalid.flatMap((value) => [{ field: "from", value }, { field: "to", value }]))(
    "$field: $value inline in the query",
    async ({ field, value }) => {
      const result = await app.query(`{ timeline(filter: { ${field}: ${JSON.stringify(value)} }) { totalCount } }`);
      expectBadUserInput(result, JSON.stringify(value));
      expect(result.data?.timeline ?? null).toBeNull();
    },
  );

  test("a number instead of a string, inline or as a variable", async () => {
    expectBadUserInput(await app.query(`{ timeline(filter: { from: 2024 }) { totalCount } }`));
    await expectRejected({ to: 2024 }, "filter.to");
  });

  test("the valid forms are accepted, inline and as variables", async () => {
    for (const value of ["2024", "2024-01", "2024-02-29", "2024-01-17T10:00:00Z", "2024-01-17T10:00:00.5+05:30"]) {
      const inline = await app.query(`{ timeline(filter: { from: ${JSON.stringify(value)} }) { totalCount } }`);
      expect(inline.errors).toBeUndefined();
      expect(typeof inline.data!.timeline.totalCount).toBe("number");
      expect(typeof (await timelinePage(app, { filter: { to: value } })).totalCount).toBe("number");
    }
  });
});

test("errors in a nested event list's filter are reported the same way", async () => {
  const slug = `nowhere-${uniqueWord()}`;
  for (const parent of ["participant", "location"]) {
    const result = await app.query(
      `query($filter: TimelineFilter) { ${parent}(slug: "pakistan") { slug events(filter: $filter) { totalCount } } }`,
      { filter: { locations: [slug] } },
    );
    expectBadUserInput(result, slug);
    expect(result.data?.[parent] ?? null).toBeNull();
  }
});

test("a rejected request leaves the events as they were", async () => {
  const before = await timelinePage(app, { first: 100 });
  await expectRejected({ minFatalities: -5 });
  await expectRejected({ participants: [`nobody-${uniqueWord()}`] });
  await expectRejected({ from: "2024-02", to: "2024-01" });
  const after = await timelinePage(app, { first: 100 });
  expect(after.totalCount).toBe(before.totalCount);
  expect(after.edges).toEqual(before.edges);
});
