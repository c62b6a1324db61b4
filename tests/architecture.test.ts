import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

// The layers of src/ hold on every import (.dependency-cruiser.cjs): common/ and db/ know no
// app, the domain knows no feature, features know no entry point, and nothing imports in a circle.

it("src/ keeps its layers and has no import circles", async () => {
  const root = path.resolve(__dirname, "..");
  // Its package exports no bin path to resolve: the script sits where npm installs it.
  const cli = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
  const run = promisify(execFile)(process.execPath, [cli, "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { cwd: root });
  const { stdout } = await run.catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`dependency-cruiser found violations:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  });
  expect(stdout).toMatch(/no dependency violations found/);
});
