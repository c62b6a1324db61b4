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

describe("the served schema", () => {
  it("contains the whole contract", async () => {
    const served = await buildTimelineSchema();
    expect(findBreakingChanges(contract, served).map((change) => change.description)).toEqual([]);
  });

  it("is checked against the contract as published", () => {
    expect(readFileSync(LOCAL_CONTRACT, "utf8")).toBe(contractSdl);
  });

  it("is what schema.graphql at the repository root says", async () => {
    const served = printSchema(await buildTimelineSchema());
    expect(readFileSync(SCHEMA_FILE, "utf8").trim()).toBe(served.trim());
  });
});
