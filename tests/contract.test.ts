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

// Parts of the contract that a later issue serves (dashboards). Each
// entry leaves this list in the commit that serves it; the list ends empty.
const NOT_YET_SERVED = new Set([
  "Query.timelineStats was removed.",
  ...["Interval", "TimelineBucket", "CategoryCount", "ParticipantCount", "LocationCount", "TimelineStats"].map(
    (type) => `${type} was removed.`,
  ),
]);

describe("the served schema", () => {
  it("contains the contract, but for the parts not served yet", async () => {
    const served = await buildTimelineSchema();
    const breaking = findBreakingChanges(contract, served).map((change) => change.description);
    expect(breaking.filter((description) => !NOT_YET_SERVED.has(description))).toEqual([]);
  });

  it("is checked against the contract as published", () => {
    expect(readFileSync(LOCAL_CONTRACT, "utf8")).toBe(contractSdl);
  });

  it("is what schema.graphql at the repository root says", async () => {
    const served = printSchema(await buildTimelineSchema());
    expect(readFileSync(SCHEMA_FILE, "utf8").trim()).toBe(served.trim());
  });
});
