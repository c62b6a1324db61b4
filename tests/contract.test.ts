import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, findBreakingChanges, printSchema } from "graphql";
import { buildTimelineSchema } from "../src/schema";
import { SCHEMA_FILE } from "../scripts/emit-schema";

// The contract lives in the steering repo's shared/ beside this one; docs/contract.graphql is the
// copy that travels with the code, checked against the original wherever that is present.
const SHARED_CONTRACT = path.join(__dirname, "..", "..", "shared", "contract.graphql");
const LOCAL_CONTRACT = path.join(__dirname, "..", "docs", "contract.graphql");
const contractSdl = readFileSync(existsSync(SHARED_CONTRACT) ? SHARED_CONTRACT : LOCAL_CONTRACT, "utf8");
const contract = buildSchema(contractSdl);

// Version 2 of the contract lands issue by issue: what the served schema still lacks is listed in
// docs/contract-pending.txt, and must be exactly that (nothing else missing, nothing listed that
// is already served), so the list only ever shrinks, to nothing.
const PENDING = path.join(__dirname, "..", "docs", "contract-pending.txt");
const pending = existsSync(PENDING)
  ? readFileSync(PENDING, "utf8").split("\n").filter((line) => line.trim() && !line.startsWith("#"))
  : [];

describe("the served schema", () => {
  it("contains the whole contract, but for the parts listed as pending", async () => {
    const served = await buildTimelineSchema();
    expect(findBreakingChanges(contract, served).map((change) => change.description).sort()).toEqual([...pending].sort());
  });

  it("is checked against the contract as published", () => {
    expect(readFileSync(LOCAL_CONTRACT, "utf8")).toBe(contractSdl);
  });

  it("is what schema.graphql at the repository root says", async () => {
    const served = printSchema(await buildTimelineSchema());
    expect(readFileSync(SCHEMA_FILE, "utf8").trim()).toBe(served.trim());
  });
});
