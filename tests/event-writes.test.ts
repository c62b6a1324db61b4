import { fingerprint } from "./support/fingerprint";
import { startTestApp, type TestApp } from "./support/test-app";
import { uniqueTag } from "./support/factories";

const SEED_URL =
  "https://toronto.citynews.ca/2024/01/29/irans-top-diplomat-seeks-to-deescalate-tensions-on-visit-to-pakistan-after-tit-for-tat-airstrikes/";

const FIELDS = `id title summary date precision category status fatalities injured
  location { slug } participants { role participant { slug } } sources { url } causes { id } consequences { id }`;
const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteEvent(id: $id) }`;
const READ = `query($id: ID!) { event(id: $id) { ${FIELDS} } }`;

let app: TestApp;
let seedEventId: string;

beforeAll(async () => {
  app = await startTestApp();
  const { data } = await app.query(`{ timeline(first: 1, filter: { search: "talks" }) { edges { node { id } } } }`);
  seedEventId = data!.timeline.edges[0].node.id;
});
afterAll(() => app.close());

async function create(input: Record<string, unknown>) {
  const result = await app.write(CREATE, { input });
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent;
}

describe("createEvent", () => {
  it("stores every field and relation, and reads back the same", async () => {
    const created = await create({
      title: "  Border crossing reopens  ",
      summary: "Trade resumes.",
      date: "2024-02-05",
      category: "HUMANITARIAN",
      status: "PLANNED",
      fatalities: 0,
      injured: 2,
      location: "baluchistan",
      participants: [
        { participant: "pakistan", role: "ACTOR" },
        { participant: "iran", role: "PARTICIPANT" },
        { participant: "pakistan", role: "ACTOR" },
      ],
      sourceUrls: [`${SEED_URL}#top`],
      causes: [seedEventId],
    });
    expect(created).toMatchObject({
      title: "Border crossing reopens",
      date: "2024-02-05",
      precision: "DAY",
      status: "PLANNED",
      fatalities: 0,
      injured: 2,
      location: { slug: "baluchistan" },
      participants: [
        { role: "ACTOR", participant: { slug: "pakistan" } },
        { role: "PARTICIPANT", participant: { slug: "iran" } },
      ],
      sources: [{ url: SEED_URL }],
      causes: [{ id: seedEventId }],
    });
    expect((await app.query(READ, { id: created.id })).data!.event).toEqual(created);
    const cause = await app.query(READ, { id: seedEventId });
    expect(cause.data!.event.consequences).toContainEqual({ id: created.id });
  });

  it("defaults the status to OCCURRED and leaves unknown tolls null", async () => {
    const created = await create({ title: "Minimal", date: "2023", category: "OTHER" });
    expect(created).toMatchObject({ status: "OCCURRED", fatalities: null, injured: null, date: "2023", location: null });
  });

  it.each([
    [{ title: "" }, "input.title"],
    [{ title: "   " }, "input.title"],
    [{ title: "x".repeat(301), label: "a 301-character title" }, "input.title"],
    [{ title: "a\u0000b" }, "input.title"],
    [{ summary: "bad \u0007 bell" }, "input.summary"],
    [{ fatalities: -1 }, "input.fatalities"],
    [{ injured: 10_000_001 }, "input.injured"],
    [{ date: "2024-02-30" }, "2024-02-30"],
    [{ date: "17/01/2024" }, "17/01/2024"],
    [{ location: "atlantis" }, '"atlantis"'],
    [{ participants: [{ participant: "nobody-at-all", role: "ACTOR" }] }, '"nobody-at-all"'],
    [{ sourceUrls: ["ftp://example.org/a"] }, "input.sourceUrls[0]"],
    [{ sourceUrls: ["javascript:alert(1)"] }, "input.sourceUrls[0]"],
    [{ sourceUrls: ["not a url"] }, "input.sourceUrls[0]"],
    [{ sourceUrls: ["https://example.org/never-ingested"] }, "ingest it first"],
    [{ causes: ["2147483000"] }, "2147483000"],
    [{ causes: ["abc"] }, "input.causes[0]"],
  ].map(([bad, named]) => {
    const { label, ...input } = bad as Record<string, unknown>;
    return [label ?? JSON.stringify(input), input, named] as const;
  }))("refuses %s with BAD_USER_INPUT naming the field, writing nothing", async (_label, bad, named) => {
    const before = await fingerprint(app);
    const result = await app.write(CREATE, { input: { title: "Valid", date: "2024", category: "OTHER", ...bad } });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0].message).toContain(named);
    expect(await fingerprint(app)).toEqual(before);
  });
});

describe("updateEvent", () => {
  it("changes only the fields given; lists given replace the stored ones", async () => {
    const event = await create({
      title: "Original",
      summary: "Keep me",
      date: "2024-03",
      category: "STATEMENT",
      fatalities: 3,
      participants: [{ participant: "iran", role: "ACTOR" }],
      sourceUrls: [SEED_URL],
    });
    const result = await app.write(UPDATE, {
      id: event.id,
      input: { title: "Renamed", date: "2024-03-02T10:00:00Z", participants: [{ participant: "pakistan", role: "TARGET" }], fatalities: null },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateEvent).toEqual({
      ...event,
      title: "Renamed",
      date: "2024-03-02T10:00:00.000Z",
      precision: "TIME",
      fatalities: null,
      participants: [{ role: "TARGET", participant: { slug: "pakistan" } }],
    });
    const emptied = await app.write(UPDATE, { id: event.id, input: { participants: [], sourceUrls: [], summary: null } });
    expect(emptied.data!.updateEvent).toMatchObject({ participants: [], sources: [], summary: null, title: "Renamed" });
  });

  it("refuses a cause that would close a loop, and an event causing itself", async () => {
    const first = await create({ title: "First", date: "2024-04-01", category: "OTHER" });
    const second = await create({ title: "Second", date: "2024-04-02", category: "OTHER", causes: [first.id] });
    const third = await create({ title: "Third", date: "2024-04-03", category: "OTHER", causes: [second.id] });
    const before = await fingerprint(app);
    const loop = await app.write(UPDATE, { id: first.id, input: { causes: [third.id] } });
    expect(loop.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(loop.errors?.[0].message).toMatch(/cycle|consequence/);
    const itself = await app.write(UPDATE, { id: first.id, input: { causes: [first.id] } });
    expect(itself.errors?.[0].message).toMatch(/cannot cause itself/);
    expect(await fingerprint(app)).toEqual(before);
  });

  it("refuses null for a required field and an unknown id", async () => {
    const event = await create({ title: "Stays", date: "2024", category: "OTHER" });
    const before = await fingerprint(app);
    const nulled = await app.write(UPDATE, { id: event.id, input: { title: null } });
    expect(nulled.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("input.title") });
    const missing = await app.write(UPDATE, { id: "2147483000", input: { title: "x" } });
    expect(missing.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(await fingerprint(app)).toEqual(before);
  });
});

describe("deleteEvent", () => {
  it("deletes the event and its links, then says NOT_FOUND, also the second time", async () => {
    const cause = await create({ title: `Cause ${uniqueTag()}`, date: "2024-05-01", category: "OTHER" });
    const event = await create({ title: "Doomed", date: "2024-05-02", category: "OTHER", causes: [cause.id], participants: [{ participant: "iran", role: "ACTOR" }] });
    expect((await app.write(DELETE, { id: event.id })).data!.deleteEvent).toBe(true);
    expect((await app.query(READ, { id: event.id })).data!.event).toBeNull();
    expect((await app.query(READ, { id: cause.id })).data!.event.consequences).toEqual([]);
    for (let attempt = 0; attempt < 2; attempt++) {
      const again = await app.write(DELETE, { id: event.id });
      expect(again.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    }
  });
});
