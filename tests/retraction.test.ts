import { fingerprint } from "./support/fingerprint";
import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// Retraction on re-ingest (ArticleInput.retractMissing): an event an earlier ingestion of the
// same url drew and this one lacks loses the article as its source, and is deleted (a tombstone
// in the change feed) when no other source supports it. Without the flag, such events stay.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

function article(tag: string, keys: string[], extra: Record<string, unknown> = {}) {
  return {
    url: `https://example.org/retract/${tag}`,
    title: `Retractable ${tag}`,
    events: keys.map((key, i) => ({ key, title: `${key} ${tag}`, date: `2024-05-0${i + 1}`, category: "OTHER" })),
    ...extra,
  };
}

const titled = async (title: string) =>
  (await app.db.prisma.event.findFirst({ where: { title }, select: { id: true, sources: { select: { source: { select: { url: true } } } } } })) ?? null;

describe("retractMissing", () => {
  it("deletes an event the corrected article no longer reports, and counts it", async () => {
    const tag = uniqueTag();
    const first = await ingestArticle(app, article(tag, ["a", "b", "c"]));
    const gone = first.events.find((event) => event.title === `c ${tag}`)!;
    // Without the flag, version 1's behaviour: the event stays.
    const kept = await ingestArticle(app, article(tag, ["a", "b"]));
    expect(kept.retracted).toBe(0);
    expect(await titled(`c ${tag}`)).not.toBeNull();

    const corrected = await ingestArticle(app, article(tag, ["a", "b"], { retractMissing: true }));
    expect([corrected.created, corrected.updated, corrected.retracted]).toEqual([0, 0, 1]);
    expect(await titled(`c ${tag}`)).toBeNull();
    const [entry] = await app.db.prisma.$queryRaw<Array<{ kind: string; sourceUrl: string | null }>>`
      SELECT c.kind::text, s.url AS "sourceUrl" FROM event_changes c LEFT JOIN sources s ON s.id = c.source_id
      WHERE c.event_id = ${gone.id}::int ORDER BY c.version DESC LIMIT 1`;
    expect(entry).toEqual({ kind: "DELETED", sourceUrl: `https://example.org/retract/${tag}` });
    // Again: nothing left to retract, nothing written.
    const before = await fingerprint(app);
    expect((await ingestArticle(app, article(tag, ["a", "b"], { retractMissing: true }))).retracted).toBe(0);
    expect(await fingerprint(app)).toEqual(before);
  });

  it("keeps an event another source supports, without this article", async () => {
    const tag = uniqueTag();
    await ingestArticle(app, article(tag, ["shared", "solo"]));
    // A second article reports the shared event too (an editor linked it).
    const other = `https://example.org/retract/${tag}/other`;
    await ingestArticle(app, { url: other, title: `Other ${tag}`, events: [] });
    const shared = (await titled(`shared ${tag}`))!;
    const link = await app.write(`mutation($id: ID!, $urls: [String!]) { updateEvent(id: $id, input: { sourceUrls: $urls }) { id } }`, {
      id: String(shared.id),
      urls: [`https://example.org/retract/${tag}`, other],
    });
    expect(link.errors).toBeUndefined();

    const result = await ingestArticle(app, article(tag, [], { retractMissing: true }));
    expect(result.retracted).toBe(2);
    expect(await titled(`solo ${tag}`)).toBeNull();
    expect((await titled(`shared ${tag}`))!.sources.map((s) => s.source.url)).toEqual([other]);
  });

  it("is a Boolean: anything else is BAD_USER_INPUT through the API", async () => {
    const result = await app.write(`mutation($input: ArticleInput!) { ingestArticle(input: $input) { retracted } }`, {
      input: { ...article(uniqueTag(), ["a"]), publishedAt: "2024-06-01T00:00:00Z", retractMissing: "yes" },
    });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });
});
