import { defaultDateRules } from "../src/events/event-dates";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { GraphQLSchema } from "graphql";
import { formatSummary, ingestFiles, type IngestFilesDeps, type IngestProgress } from "../src/ingest/ingest-files";
import { IngestService } from "../src/ingest/ingest.service";
import { buildTimelineSchema } from "../src/schema";
import { fingerprint } from "./support/fingerprint";
import { uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

let app: TestApp;
let schema: GraphQLSchema;
let dir: string;
let deps: IngestFilesDeps;

beforeAll(async () => {
  app = await startTestApp();
  schema = await buildTimelineSchema();
  deps = { ingest: new IngestService(app.db.prisma, defaultDateRules()), schema };
  dir = await mkdtemp(path.join(os.tmpdir(), "timeline-ingest-files-"));
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** An ArticleInput as JSON with `events` events at a seeded place. */
function article(tag: string, name: string, events: number, extra: Record<string, unknown> = {}) {
  return {
    url: `https://example.org/files/${tag}/${name}`,
    title: `${name} ${tag}`,
    publishedAt: "2024-04-01T00:00:00Z",
    events: Array.from({ length: events }, (_, i) => ({
      key: `e${i}`,
      title: `${name} event ${i} ${tag}`,
      date: `2024-03-0${i + 1}`,
      category: "STATEMENT",
      location: "islamabad",
    })),
    ...extra,
  };
}

async function write(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const EVENTS_AT = `query($search: String!) { timeline(filter: { search: $search }) { totalCount edges { node { title sources { url } } } } }`;

describe("ingestFiles", () => {
  it("loads the good files, reports the bad ones with reasons and counts both", async () => {
    const tag = uniqueTag();
    await writeFile(path.join(dir, `body-${tag}.txt`), "The full text.\n");
    const files = [
      await write(`good-${tag}.json`, article(tag, "good", 2, { bodyFile: `body-${tag}.txt` })),
      await write(`broken-${tag}.json`, '{ "url": "https://example.org/cut-off", '),
      await write(`refused-${tag}.json`, article(tag, "refused", 3, { participants: [{ name: "Someone", kind: "PERSON", country: "atlantis" }] })),
      await write(`pair-${tag}.json`, [article(tag, "first", 1), article(tag, "second", 3)]),
      path.join(dir, `missing-${tag}.json`),
    ];
    const progress: IngestProgress[] = [];

    const summary = await ingestFiles(files, deps, (step) => progress.push(step));

    expect(summary).toMatchObject({ articles: 3, created: 6, updated: 0 });
    expect(summary.refused).toEqual([
      { file: files[1], reason: expect.stringMatching(/^not valid JSON/) },
      { file: files[2], url: `https://example.org/files/${tag}/refused`, reason: expect.stringContaining('unknown location "atlantis"') },
      { file: files[4], reason: expect.stringMatching(/^cannot be read: ENOENT/) },
    ]);
    expect(progress.map((step) => [step.done, step.total, path.basename(step.file), Boolean(step.result)])).toEqual([
      [1, 6, `good-${tag}.json`, true],
      [2, 6, `broken-${tag}.json`, false],
      [3, 6, `refused-${tag}.json`, false],
      [4, 6, `pair-${tag}.json`, true],
      [5, 6, `pair-${tag}.json`, true],
      [6, 6, `missing-${tag}.json`, false],
    ]);

    const stored = await app.query(EVENTS_AT, { search: tag });
    expect(stored.errors).toBeUndefined();
    expect(stored.data!.timeline.totalCount).toBe(6);
    const urls = new Set(stored.data!.timeline.edges.map((edge: any) => edge.node.sources[0].url));
    expect([...urls].sort()).toEqual(["first", "good", "second"].map((name) => `https://example.org/files/${tag}/${name}`));
    const good = await app.db.prisma.source.findUnique({ where: { url: `https://example.org/files/${tag}/good` }, select: { body: true } });
    expect(good!.body).toBe("The full text.");
    expect(await app.db.prisma.participant.count({ where: { name: "Someone" } })).toBe(0);

    expect(formatSummary(summary)).toEqual([
      "3 article(s) ingested: 6 event(s) created, 0 updated",
      "3 refused:",
      expect.stringMatching(new RegExp(`^  .*broken-${tag}\\.json: not valid JSON`)),
      expect.stringMatching(new RegExp(`^  .*refused-${tag}\\.json \\(https://example\\.org/files/${tag}/refused\\): .*atlantis`)),
      expect.stringMatching(new RegExp(`^  .*missing-${tag}\\.json: cannot be read`)),
    ]);

    // Loading the same files again finds every article unchanged.
    const before = await fingerprint(app);
    expect(await ingestFiles(files, deps)).toMatchObject({ articles: 3, created: 0, updated: 0 });
    expect(await fingerprint(app)).toEqual(before);
  });

  it("refuses one article of an array and still loads the others", async () => {
    const tag = uniqueTag();
    const bad = { ...article(tag, "bad", 1), publishedAt: "yesterday" };
    const file = await write(`mixed-${tag}.json`, [article(tag, "kept", 2), bad, 42, article(tag, "also-kept", 1)]);

    const summary = await ingestFiles([file], deps);

    expect(summary).toMatchObject({ articles: 2, created: 3, updated: 0 });
    expect(summary.refused).toEqual([
      { file, article: 1, url: bad.url, reason: expect.stringContaining("publishedAt") },
      { file, article: 2, reason: expect.stringContaining("ArticleInput") },
    ]);
    expect(formatSummary(summary)[2]).toBe(`  ${file}[1] (${bad.url}): ${summary.refused[0].reason}`);
    expect((await app.query(EVENTS_AT, { search: tag })).data!.timeline.totalCount).toBe(3);
  });

  it("reports a bodyFile that cannot be read as a bad file, writing nothing of it", async () => {
    const tag = uniqueTag();
    const file = await write(`nobody-${tag}.json`, article(tag, "nobody", 1, { bodyFile: "no-such-body.txt" }));
    const before = await fingerprint(app);
    const summary = await ingestFiles([file], deps);
    expect(summary).toEqual({ articles: 0, created: 0, updated: 0, refused: [{ file, reason: expect.stringContaining("no-such-body.txt") }] });
    expect(await fingerprint(app)).toEqual(before);
  });

  it("throws, rather than reporting, what is not the input's fault", async () => {
    const tag = uniqueTag();
    const file = await write(`fine-${tag}.json`, article(tag, "fine", 1));
    const broken: IngestFilesDeps = { schema, ingest: { ingest: () => Promise.reject(new Error("connection lost")) } };
    await expect(ingestFiles([file], broken)).rejects.toThrow("connection lost");
  });
});
