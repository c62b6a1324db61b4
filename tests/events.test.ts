import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

let app: TestApp;
let tag: string;
let ids: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp();
  tag = uniqueTag();
  const result = await ingestArticle(app, {
    url: `https://example.org/${tag}`,
    title: `Article ${tag}`,
    publisher: "Example Wire",
    events: [
      { key: "cause", title: `Cause ${tag}`, date: "2020-01-01T08:30:00+01:00", category: "EXPLOSION", fatalities: 0 },
      { key: "effect", title: `Effect ${tag}`, date: "2020-01-02", category: "PROTEST", causes: ["cause"] },
      { key: "later", title: `Later ${tag}`, date: "2020", category: "LEGAL", status: "PLANNED", causes: ["cause", "effect"] },
    ],
  });
  ids = Object.fromEntries(result.events.map((event) => [event.title.split(" ")[0].toLowerCase(), String(event.id)]));
});
afterAll(() => app.close());

const EVENT = `query($id: ID!) { event(id: $id) {
  id title date precision occurredAt status fatalities injured
  causes { id } consequences { id }
  sources { url publisher events { id } }
} }`;

describe("event(id)", () => {
  it("serves the event with its date at its precision", async () => {
    const { data } = await app.query(EVENT, { id: ids.cause });
    expect(data!.event).toMatchObject({
      id: ids.cause,
      date: "2020-01-01T07:30:00.000Z",
      precision: "TIME",
      occurredAt: "2020-01-01T07:30:00.000Z",
      status: "OCCURRED",
      fatalities: 0,
      injured: null,
    });
    const year = await app.query(EVENT, { id: ids.later });
    expect(year.data!.event).toMatchObject({ date: "2020", precision: "YEAR", occurredAt: "2020-01-01T00:00:00.000Z", status: "PLANNED" });
  });

  it("links causes and consequences both ways", async () => {
    const event = async (id: string) => (await app.query(EVENT, { id })).data!.event;
    expect((await event(ids.cause)).consequences.map((e: any) => e.id).sort()).toEqual([ids.effect, ids.later].sort());
    expect((await event(ids.effect)).causes).toEqual([{ id: ids.cause }]);
    expect((await event(ids.later)).causes.map((e: any) => e.id).sort()).toEqual([ids.cause, ids.effect].sort());
  });

  it("lists its sources and, through them, the article's other events", async () => {
    const { data } = await app.query(EVENT, { id: ids.effect });
    expect(data!.event.sources).toHaveLength(1);
    expect(data!.event.sources[0]).toMatchObject({ url: `https://example.org/${tag}`, publisher: "Example Wire" });
    expect(data!.event.sources[0].events.map((e: any) => e.id).sort()).toEqual(Object.values(ids).sort());
  });

  it("is null for an id that does not exist", async () => {
    const result = await app.query(EVENT, { id: "2147483000" });
    expect(result.errors).toBeUndefined();
    expect(result.data!.event).toBeNull();
  });

  it.each(["abc", "-1", "0", "1.5", "99999999999", ""])("refuses the malformed id %j with BAD_USER_INPUT", async (id) => {
    const result = await app.query(EVENT, { id });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0].message).toMatch(/id/);
  });
});
