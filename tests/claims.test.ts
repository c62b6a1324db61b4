import { fingerprint } from "./support/fingerprint";
import { ingestArticle, uniqueTag } from "./support/factories";
import { startTestApp, type TestApp } from "./support/test-app";

// Claims by claimant (contract: Claim, ClaimInput): each party's account with its own figures
// and source; an event with claims and no toll of its own takes the toll its claims give (RANGE
// lowest..highest claimed best, best the lower median; one claim: its toll); claims' sources
// bound the time window; a list given replaces; ingesting the same claims again writes nothing.

let app: TestApp;
let claimant: string;
let other: string;
let early: { url: string; publishedAt: string };
beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  claimant = `claimant-${tag}`;
  other = `other-${tag}`;
  early = { url: `https://example.org/claims/${tag}/early`, publishedAt: "2024-01-10T08:00:00.000Z" };
  // An article stored for the claims to cite, and two participants to make them.
  await ingestArticle(app, {
    url: early.url,
    publishedAt: early.publishedAt,
    participants: [
      { slug: claimant, name: `Claimant ${tag}`, kind: "COUNTRY" },
      { slug: other, name: `Other ${tag}`, kind: "COUNTRY" },
    ],
    events: [],
  });
});
afterAll(() => app.close());

const TOLL = "low best high qualifier text";
const CLAIMS = `claims { claimant { slug } statement deaths { ${TOLL} } injuries { ${TOLL} } source { url publishedAt } }`;
const FIELDS = `id fatalities injured deaths { ${TOLL} } injuries { ${TOLL} } timeWindow { latest latestBound } ${CLAIMS}`;

interface Served {
  id: string;
  fatalities: number | null;
  injured: number | null;
  deaths: Record<string, unknown> | null;
  injuries: Record<string, unknown> | null;
  timeWindow: { latest: string; latestBound: string };
  claims: Array<{ claimant: { slug: string } | null; statement: string; deaths: unknown; injuries: unknown; source: { url: string } | null }>;
}

const create = (fields: Record<string, unknown>) =>
  app.write<{ createEvent: Served }>(`mutation($input: EventInput!) { createEvent(input: $input) { ${FIELDS} } }`, {
    input: { title: `Claims ${uniqueTag()}`, date: "2024-01", category: "AIRSTRIKE", ...fields },
  });

async function created(fields: Record<string, unknown>): Promise<Served> {
  const result = await create(fields);
  expect(result.errors).toBeUndefined();
  return result.data!.createEvent;
}

const update = (id: string, input: Record<string, unknown>) =>
  app.write<{ updateEvent: Served }>(`mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { ${FIELDS} } }`, { id, input });

async function updated(id: string, input: Record<string, unknown>): Promise<Served> {
  const result = await update(id, input);
  expect(result.errors).toBeUndefined();
  return result.data!.updateEvent;
}

const exact = (figure: number) => ({ best: figure });
const claim = (figure: number | null, by: string | null = null) => ({
  claimant: by,
  statement: `said ${figure ?? "no one"} died`,
  ...(figure === null ? {} : { deaths: exact(figure) }),
});

describe("claims on an event", () => {
  it("are served in order with their claimant, words, figures and source", async () => {
    const event = await created({
      claims: [
        { claimant, statement: "said two children were killed", deaths: { best: 2, text: "two children" }, injuries: { best: 3 }, sourceUrl: early.url },
        { statement: "said the strikes hit militant hideouts" },
      ],
    });
    expect(event.claims).toEqual([
      {
        claimant: { slug: claimant },
        statement: "said two children were killed",
        deaths: { low: 2, best: 2, high: 2, qualifier: "EXACT", text: "two children" },
        injuries: { low: 3, best: 3, high: 3, qualifier: "EXACT", text: null },
        source: { url: early.url, publishedAt: early.publishedAt },
      },
      { claimant: null, statement: "said the strikes hit militant hideouts", deaths: null, injuries: null, source: null },
    ]);
    // One claim with figures: the event's toll is that claim's.
    expect(event.deaths).toEqual({ low: 2, best: 2, high: 2, qualifier: "EXACT", text: "two children" });
    expect([event.fatalities, event.injured]).toEqual([2, 3]);
  });

  it.each([
    // claimed bests → event toll (low, best = lower median, high)
    [[2, 5], { low: 2, best: 2, high: 5 }],
    [[9, 2, 5], { low: 2, best: 5, high: 9 }],
    [[7, 1, 3, 20], { low: 1, best: 3, high: 20 }],
    [[4, null, 6], { low: 4, best: 4, high: 6 }],
  ])("that disagree (%j) give the event a RANGE from the lowest to the highest, best the lower median", async (figures, toll) => {
    const event = await created({ claims: figures.map((figure) => claim(figure)) });
    expect(event.deaths).toEqual({ ...toll, qualifier: "RANGE", text: null });
    expect(event.fatalities).toBe(toll.best);
    expect(event.injuries).toBeNull();
  });

  it("that agree give their toll; without figures they give none; a toll of the event's own wins", async () => {
    const agree = await created({ claims: [claim(4, claimant), claim(4, other)] });
    expect(agree.deaths).toEqual({ low: 4, best: 4, high: 4, qualifier: "EXACT", text: null });
    expect((await created({ claims: [claim(null), claim(null)] })).deaths).toBeNull();
    const own = await created({ deaths: { low: 9, qualifier: "AT_LEAST" }, claims: [claim(2), claim(5)] });
    expect(own.deaths).toEqual({ low: 9, best: 9, high: null, qualifier: "AT_LEAST", text: null });
    expect(own.claims).toHaveLength(2);
  });

  it("bound an OCCURRED event's window by their sources' publication", async () => {
    const event = await created({ claims: [{ statement: "said it happened", sourceUrl: early.url }] });
    expect(event.timeWindow).toEqual({ latest: early.publishedAt, latestBound: "PUBLICATION" });
    // Without the claim the window is the month again.
    expect((await updated(event.id, { claims: [] })).timeWindow).toEqual({ latest: "2024-01-31T23:59:59.999Z", latestBound: "DATE" });
  });
});

describe("updates", () => {
  it("replace the list; a toll from claims follows them, a toll given stays", async () => {
    const { id } = await created({ claims: [claim(2, claimant), claim(5, other)] });
    const replaced = await updated(id, { claims: [claim(10, other)] });
    expect(replaced.claims.map((c) => [c.claimant?.slug, c.statement])).toEqual([[other, "said 10 died"]]);
    expect(replaced.deaths).toMatchObject({ best: 10, qualifier: "EXACT" });
    // Given by an editor, the toll no longer follows the claims...
    await updated(id, { fatalities: 7 });
    expect((await updated(id, { claims: [claim(1), claim(3)] })).deaths).toMatchObject({ best: 7, qualifier: "EXACT" });
    // ...until it is cleared: then the stored claims give it again.
    expect((await updated(id, { deaths: null })).deaths).toEqual({ low: 1, best: 1, high: 3, qualifier: "RANGE", text: null });
    // No claims left: no toll from them.
    const none = await updated(id, { claims: [] });
    expect([none.claims, none.deaths, none.fatalities]).toEqual([[], null, null]);
    // Absent, the claims stay as they are.
    await updated(id, { claims: [claim(6, claimant)] });
    expect((await updated(id, { title: `Renamed ${uniqueTag()}` })).claims).toHaveLength(1);
  });
});

describe("bad claims", () => {
  it.each([
    [{ claims: [{ statement: "  " }] }, "claims[0].statement"],
    [{ claims: [{ statement: "said so", claimant: "no-such-participant" }] }, 'unknown participant "no-such-participant"'],
    // A slug is taken as written, as in `participants`: "iran " is not Iran.
    [{ claims: [{ statement: "said so", claimant: "iran " }] }, 'unknown participant "iran "'],
    [{ claims: [{ statement: "said so", sourceUrl: "https://example.org/never-ingested" }] }, "no stored article"],
    [{ claims: [{ statement: "said so", sourceUrl: "not a url" }] }, "claims[0].sourceUrl"],
    [{ claims: [{ statement: "said so", deaths: { qualifier: "AT_LEAST", best: 3 } }] }, "claims[0].deaths"],
    [{ claims: [{ statement: "said so", injuries: { low: 5, high: 2, qualifier: "RANGE" } }] }, "claims[0].injuries"],
    [{ claims: [{ statement: "x".repeat(2001) }] }, "claims[0].statement"],
    [{ claims: Array.from({ length: 51 }, (_, i) => ({ statement: `claim ${i}` })) }, "claims"],
  ])("are BAD_USER_INPUT and write nothing: %#", async (fields, fragment) => {
    const before = await fingerprint(app);
    const result = await create(fields);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors![0].message).toContain(fragment);
    expect(await fingerprint(app)).toEqual(before);
  });

  it("refused in an update leave the stored claims as they were", async () => {
    const { id } = await created({ claims: [claim(2, claimant)] });
    const before = await fingerprint(app);
    const result = await update(id, { claims: [claim(3, "no-such-participant")] });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(await fingerprint(app)).toEqual(before);
  });

  it("break the database's rules too", async () => {
    const [{ id }] = await app.db.prisma.$queryRawUnsafe<Array<{ id: number }>>("SELECT id FROM events LIMIT 1");
    const insert = (columns: string, values: string) =>
      app.db.prisma.$executeRawUnsafe(`INSERT INTO event_claims (event_id, position, statement, ${columns}) VALUES (${id}, 99, 'raw', ${values})`);
    await expect(insert("deaths_best, deaths_low, deaths_qualifier", "5, 6, 'AT_LEAST'")).rejects.toThrow(/event_claims_deaths_check|check constraint/i);
    await expect(insert("injuries_best, injuries_qualifier", "-1, 'ABOUT'")).rejects.toThrow(/event_claims_injuries_check|check constraint/i);
  });
});

describe("ingestion", () => {
  it("writes claims with the article as their source, idempotently by content", async () => {
    const tag = uniqueTag();
    const article = {
      url: `https://example.org/claims/${tag}`,
      title: `Claims ${tag}`,
      publishedAt: "2024-01-29T05:49:00.000Z",
      participants: [{ slug: `new-party-${tag}`, name: `New party ${tag}`, kind: "ORGANIZATION" }],
      events: [
        {
          key: "strike",
          title: `Strike ${tag}`,
          date: "2024-01-17",
          category: "AIRSTRIKE",
          claims: [
            { claimant, statement: "said two children were killed", deaths: { best: 2 } },
            { claimant: `new-party-${tag}`, statement: "said nine died", deaths: { low: 9, qualifier: "AT_LEAST" }, sourceUrl: early.url },
          ],
        },
      ],
    };
    const first = await ingestArticle(app, article);
    expect(first.created).toBe(1);
    const read = async () =>
      (await app.query<{ event: Served }>(`query($id: ID!) { event(id: $id) { ${FIELDS} } }`, { id: String(first.events[0].id) })).data!.event;
    const event = await read();
    expect(event.claims.map((c) => [c.claimant?.slug, c.source?.url])).toEqual([
      [claimant, article.url],
      [`new-party-${tag}`, early.url],
    ]);
    expect(event.deaths).toEqual({ low: 2, best: 2, high: 9, qualifier: "RANGE", text: null });

    const before = await fingerprint(app);
    const again = await ingestArticle(app, article);
    expect([again.created, again.updated]).toEqual([0, 0]);
    expect(await fingerprint(app)).toEqual(before);

    const corrected = { ...article, events: [{ ...article.events[0], claims: [article.events[0].claims[0]] }] };
    const third = await ingestArticle(app, corrected);
    expect([third.created, third.updated]).toEqual([0, 1]);
    expect((await read()).claims).toHaveLength(1);
    expect((await read()).deaths).toMatchObject({ best: 2, qualifier: "EXACT" });
  });
});

describe("exports", () => {
  it("list claims as claimant:deaths pairs in the CSV and in words in TimelineJS", async () => {
    const tag = uniqueTag();
    const place = `place-${tag}`;
    await ingestArticle(app, {
      locations: [{ slug: place, name: `Place ${tag}`, kind: "COUNTRY" }],
      events: [
        {
          key: "a",
          title: `A ${tag}`,
          date: "2024-01-17",
          category: "AIRSTRIKE",
          location: place,
          claims: [
            { claimant, statement: "said two children & a woman were killed", deaths: { best: 3 }, injuries: { low: 3, qualifier: "AT_LEAST" } },
            { statement: "said hideouts were hit" },
          ],
        },
      ],
    });
    const base = await app.listen();
    const csv = await (await fetch(`${base}/export/events.csv?locations=${place}`)).text();
    const [header, row] = csv.trim().split("\n");
    const names = header.split(",");
    expect(names.at(-1)).toBe("claims");
    expect(row.split(",").at(-1)).toBe(`${claimant}:3|:`);
    const json = (await (await fetch(`${base}/export/timeline.json?locations=${place}`)).json()) as { events: Array<{ text: { text: string } }> };
    const text = json.events[0].text.text;
    expect(text).toContain("Claim: Claimant ");
    expect(text).toContain("said two children &#38; a woman were killed (killed: 3; injured: at least 3)");
    expect(text).toContain("<p>Claim: said hideouts were hit</p>");
    // The derived toll, escaped once.
    expect(text).toContain("<p>Killed: 3</p>");
  });
});
