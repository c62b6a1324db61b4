import fs from "node:fs";
import path from "node:path";

/** The folder holding package.json, whether this code runs from src/ (tsx, jest) or dist/src/ (node). */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}
