import { filterFromQuery } from "../src/exports/export-filter";
import { emptyState, filterQuery, nearLabel, parseState, stateToQuery, toFilter, type ViewState } from "../web/src/state";

// The timeline page's view state (web/src/state.ts) for roles and a place with a radius: what it
// reads from a URL, writes back, sends as a TimelineFilter, and that /export reads its links alike.

const view = (over: Partial<ViewState>): ViewState => ({ ...emptyState(), ...over });
const islamabad = { latitude: 33.6844, longitude: 73.0479, radiusKm: 50 };

describe("roles in the page's URL", () => {
  it("round-trip, repeated or comma-separated, de-duplicated, in the order given", () => {
    const state = parseState("?roles=TARGET,HOST&roles=TARGET");
    expect(state.roles).toEqual(["TARGET", "HOST"]);
    expect(stateToQuery(state)).toBe("?roles=TARGET&roles=HOST");
    expect(parseState(stateToQuery(state))).toEqual(state);
  });

  it("drop values that are not a ParticipantRole", () => {
    expect(parseState("?roles=HOST,host,KING,&roles=").roles).toEqual(["HOST"]);
    expect(stateToQuery(parseState("?roles=KING"))).toBe("");
  });

  it("go into the TimelineFilter, beside participants", () => {
    expect(toFilter(view({ participants: ["iran"], roles: ["ACTOR", "VICTIM"] }))).toEqual({ participants: ["iran"], roles: ["ACTOR", "VICTIM"] });
    expect(toFilter(view({ roles: [] }))).toEqual({});
  });
});

describe("a place with a radius in the page's URL", () => {
  it("round-trips as near=latitude,longitude,radiusKm, readable, with the place's slug for its chip", () => {
    const query = "?near=33.6844,73.0479,50&nearPlace=islamabad";
    const state = parseState(query);
    expect(state.near).toEqual(islamabad);
    expect(state.nearPlace).toBe("islamabad");
    expect(stateToQuery(state)).toBe(query);
    expect(parseState(stateToQuery(state))).toEqual(state);
    // Spaces and %2C read the same, and are written the one way.
    expect(stateToQuery(parseState("?near=33.6844%2C%2073.0479%2C50.0"))).toBe("?near=33.6844,73.0479,50");
  });

  it("writes a point stably: six decimals at most, never an exponent", () => {
    const near = { latitude: 1e-7, longitude: -179.12345678, radiusKm: 0.25 };
    expect(stateToQuery(view({ near }))).toBe("?near=0,-179.123457,0.25");
    expect(stateToQuery(view({ near: { latitude: -1e-7, longitude: 0.000001, radiusKm: 20000 } }))).toBe("?near=0,0.000001,20000");
  });

  it.each([
    ["a latitude past a pole", "95,73,50"],
    ["a longitude past the antimeridian", "33,181,50"],
    ["a radius of 0", "33,73,0"],
    ["a negative radius", "33,73,-5"],
    ["a radius past 20,000 km", "33,73,20000.5"],
    ["not a number", "33,NaN,50"],
    ["an exponent /export would refuse", "33,73,5e1"],
    ["two numbers", "33,73"],
    ["four numbers", "33,73,50,1"],
    ["nothing", ""],
  ])("drops %s (near=%s), and the slug it named", (_name, near) => {
    const state = parseState(`?near=${near}&nearPlace=islamabad&categories=PROTEST`);
    expect(state.near).toBeNull();
    expect(state.nearPlace).toBe("");
    expect(stateToQuery(state)).toBe("?categories=PROTEST");
    expect(toFilter(state)).toEqual({ categories: ["PROTEST"] });
  });

  it("keeps the bounds themselves", () => {
    expect(parseState("?near=-90,180,20000").near).toEqual({ latitude: -90, longitude: 180, radiusKm: 20000 });
    expect(parseState("?near=90,-180,0.001").near).toEqual({ latitude: 90, longitude: -180, radiusKm: 0.001 });
  });

  it("goes into the TimelineFilter as near, without the slug", () => {
    expect(toFilter(parseState("?near=33.6844,73.0479,50&nearPlace=islamabad&roles=HOST"))).toEqual({ roles: ["HOST"], near: islamabad });
  });

  it("names the chip by the place, or by the point until its name is known", () => {
    expect(nearLabel(islamabad, "Islamabad")).toBe("within 50 km of Islamabad");
    expect(nearLabel({ ...islamabad, radiusKm: 12500.5 })).toBe("within 12,500.5 km of 33.6844, 73.0479");
  });
});

describe("the page's download links", () => {
  const state = parseState("?search=talks&categories=DIPLOMACY&participants=iran&roles=HOST,PARTICIPANT&near=33.6844,73.0479,50&nearPlace=islamabad&order=DESC");

  it("carry the view less the chip's slug, which /export does not take", () => {
    expect(filterQuery(state)).toBe("?search=talks&categories=DIPLOMACY&participants=iran&roles=HOST&roles=PARTICIPANT&near=33.6844,73.0479,50&order=DESC");
    expect(filterQuery(view({ nearPlace: "islamabad" }))).toBe("");
  });

  it("are read by /export as the same filter the page sends to the API", () => {
    // As Express hands /export its query: a repeated name as an array, a single one as a string.
    const params = new URLSearchParams(filterQuery(state));
    const query = Object.fromEntries([...new Set(params.keys())].map((name) => [name, params.getAll(name).length > 1 ? params.getAll(name) : params.get(name)]));
    const { filter, order } = filterFromQuery(query);
    expect(order).toBe("DESC");
    expect(filter).toMatchObject(toFilter(state));
  });
});
