import { claimPhrase, tollPhrase } from "../web/src/format";
import type { Toll } from "../web/src/types";

// How the page words a toll and a claim (web/src/format.ts): the source's words where it gave
// words, else the figure with its qualifier; a claim by its claimant, figures first.

const toll = (over: Partial<Toll>): Toll => ({ low: null, best: null, high: null, qualifier: "EXACT", text: null, ...over });

describe("tollPhrase", () => {
  it.each([
    [toll({ low: 9, best: 9, high: 9 }), "9 killed"],
    [toll({ low: 9, best: 9, qualifier: "AT_LEAST" }), "at least 9 killed"],
    [toll({ best: 30, high: 30, qualifier: "AT_MOST" }), "up to 30 killed"],
    [toll({ best: 50, qualifier: "ABOUT" }), "about 50 killed"],
    [toll({ low: 8, best: 8, high: 12, qualifier: "RANGE" }), "8–12 killed"],
    [toll({ low: 3, best: 3, high: 3, qualifier: "RANGE" }), "3 killed"],
    [toll({ low: 1200, best: 1200, high: 1200 }), "1,200 killed"],
    [toll({ low: 9, best: 9, qualifier: "AT_LEAST", text: "at least nine people" }), "at least nine people killed"],
  ])("%j: %s", (given, phrase) => {
    expect(tollPhrase(given, "killed")).toBe(phrase);
  });

  it("says nothing for an unknown toll", () => {
    expect(tollPhrase(null, "killed")).toBeNull();
    expect(tollPhrase(toll({}), "killed")).toBeNull();
  });
});

describe("claimPhrase", () => {
  it("puts the figures after the claimant when it gave some, else what it said without 'said'", () => {
    const claimant = { name: "Pakistan" };
    expect(claimPhrase({ claimant, statement: "said two died", deaths: toll({ low: 2, best: 2, high: 2 }), injuries: toll({ low: 3, best: 3, qualifier: "AT_LEAST" }) })).toBe(
      "Pakistan: 2 killed, at least 3 injured",
    );
    expect(claimPhrase({ claimant: { name: "Iran" }, statement: "said that the strikes hit hideouts", deaths: null, injuries: null })).toBe("Iran: the strikes hit hideouts");
    expect(claimPhrase({ claimant: null, statement: "Witnesses saw smoke", deaths: null, injuries: null })).toBe("Witnesses saw smoke");
  });
});
