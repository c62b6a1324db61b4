import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

// The real process, as `npm start` runs it, on an empty embedded database of its own.
describe("the server process", () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  const lines: Array<Record<string, any>> = [];
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "timeline-process-"));
    const root = path.join(__dirname, "..");
    child = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "src/index.ts"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", PGLITE_DIR: dir, LOG_LEVEL: "info", DATABASE_URL: "" },
    });
    port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const entry = JSON.parse(line);
        lines.push(entry);
        if (entry.port !== undefined) resolve(entry.port);
      });
      child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates and seeds its empty database, then serves it", async () => {
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(["applied migrations to the embedded database", "seeded the empty embedded database"]),
    );
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ timeline { totalCount } }" }),
    });
    expect(((await response.json()) as any).data.timeline.totalCount).toBeGreaterThan(0);
  });

  it("drains and exits cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(lines.map((line) => line.msg)).toContain("stopped");
  });
});
