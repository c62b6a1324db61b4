import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { openDatabase, type Database } from "../src/db/database";
import { assertMigrated, DatabaseBehindError } from "../src/db/migrate";
import { prepareDatabase } from "../src/startup/prepare";
import { createServer } from "../src/server";

// What `npm start` does on a machine with nothing set up: an empty PGlite folder is migrated,
// seeded and served by the same process.
describe("starting on an empty embedded database", () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "timeline-start-"));
    db = await openDatabase({ kind: "embedded", dataDir: dir });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses to be served before it is migrated, naming the command to run", async () => {
    await expect(assertMigrated(db)).rejects.toThrow(DatabaseBehindError);
    await expect(assertMigrated(db)).rejects.toThrow(/npm run db:migrate/);
  });

  it("migrates, seeds and serves every filter in the same process", async () => {
    await prepareDatabase(db, pino({ level: "silent" }));
    await expect(assertMigrated(db)).resolves.toBeUndefined();

    const server = await createServer({ db, log: pino({ level: "silent" }) });
    // Enum-array parameters are the ones PGlite must learn about after migrating.
    const result = await server.apollo.executeOperation(
      { query: `{ timeline(filter: { categories: [AIRSTRIKE], statuses: [OCCURRED] }) { totalCount } all: timeline { totalCount } }` },
      { contextValue: server.createContext() },
    );
    await server.stop();
    expect(result.body.kind === "single" && result.body.singleResult.errors).toBeFalsy();
    const data = result.body.kind === "single" ? (result.body.singleResult.data as any) : null;
    expect(data.all.totalCount).toBeGreaterThan(0);
    expect(data.timeline.totalCount).toBeGreaterThan(0);
    expect(data.timeline.totalCount).toBeLessThan(data.all.totalCount);
  });

  it("seeds only once: starting again leaves the data as it was", async () => {
    const before = await db.prisma.event.count();
    await prepareDatabase(db, pino({ level: "silent" }));
    expect(await db.prisma.event.count()).toBe(before);
  });
});
