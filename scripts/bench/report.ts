import fs from "node:fs";
import type { Machine } from "./database";
import type { RunStats } from "./drive";
import type { Workload } from "./workloads";

export const TARGETS = {
  ratio: 0.5,
  p99Ms: 50,
  statements: 4,
  dashboardP50Ms: 100,
  loadRate: 5_000,
};

export interface Row {
  workload: Workload;
  api: RunStats;
  bound: RunStats | null;
  statementsPerRequest: number;
  /** With --peer: the peer's run on the same pages (medians of the rounds, as `api` then is); null where it did not run. */
  peer?: RunStats | null;
}

export interface Report {
  command: string;
  machine: Machine;
  events: number;
  seconds: number;
  connections: number;
  load: { rate: number; seconds: number } | null;
  rows: Row[];
  /** Statements for one page of (a) at 5 and at 100 events. */
  statementsBySize: { small: number; large: number } | null;
  /** The peer measured beside the API (--peer), and in how many interleaved rounds. */
  peer?: { label: string; rounds: number } | null;
  notes: string[];
  finishedLoadAverage: string;
}

/** PASS or MISS with the targets a row misses. */
export function verdict(row: Row): string {
  const misses: string[] = [];
  if (!row.api.requests) return "MISS (no request completed)";
  if (row.workload.kind === "page") {
    const ratio = row.bound ? row.api.perSecond / row.bound.perSecond : NaN;
    if (!(ratio >= TARGETS.ratio)) misses.push(`ratio<${TARGETS.ratio}`);
    if (!(row.api.p99 < TARGETS.p99Ms)) misses.push(`p99>=${TARGETS.p99Ms}`);
    if (!(row.statementsPerRequest <= TARGETS.statements)) misses.push(`stmts>${TARGETS.statements}`);
  } else if (!(row.api.p50 < TARGETS.dashboardP50Ms)) {
    misses.push(`p50>=${TARGETS.dashboardP50Ms}`);
  }
  if (row.api.failures) misses.push(`${row.api.failures} failed`);
  return misses.length ? `MISS (${misses.join(", ")})` : "PASS";
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

/**
 * The results as a Markdown table (also readable as plain text). With a peer, its columns and
 * the API's rate over the peer's come before the verdict.
 */
export function table(rows: readonly Row[], peer?: string): string {
  const peerHeader = peer ? [`${peer} req/s`, `${peer} p50 ms`, `${peer} p99 ms`, `API ÷ ${peer}`] : [];
  const peerCells = (run: RunStats | null | undefined, api: RunStats) =>
    !peer ? [] : run ? [fixed(run.perSecond, 0), fixed(run.p50, 1), fixed(run.p99, 1), fixed(api.perSecond / run.perSecond, 2)] : ["–", "–", "–", "–"];
  const header = ["workload", "req/s", "p50 ms", "p99 ms", "bound req/s", "bound p50 ms", "ratio", "stmts/req", ...peerHeader, "target"];
  const lines = rows.map((row) => [
    `${row.workload.id}: ${row.workload.label}`,
    fixed(row.api.perSecond, 0),
    fixed(row.api.p50, 1),
    fixed(row.api.p99, 1),
    row.bound ? fixed(row.bound.perSecond, 0) : "–",
    row.bound ? fixed(row.bound.p50, 2) : "–",
    row.bound ? fixed(row.api.perSecond / row.bound.perSecond, 2) : "–",
    fixed(row.statementsPerRequest, 2),
    ...peerCells(row.peer, row.api),
    verdict(row),
  ]);
  return [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

export function machineLine(report: Report): string {
  const m = report.machine;
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB; ${m.postgres}; Node ${m.node} (NODE_ENV=${m.nodeEnv}); ` +
    `${report.events.toLocaleString("en-US")} events; ${report.connections} connections, ${report.seconds} s a run after a 2 s warm-up; ` +
    (report.peer ? `pages: API and ${report.peer.label} in ${report.peer.rounds} interleaved round(s), medians; ` : "") +
    `load average ${m.loadAverage} at start, ${report.finishedLoadAverage} at the end`
  );
}

export function summaryLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.load) {
    const ok = report.load.rate >= TARGETS.loadRate ? "PASS" : "MISS";
    lines.push(
      `Bulk load: ${Math.round(report.load.rate).toLocaleString("en-US")} events/s ` +
        `(${report.load.seconds.toFixed(1)} s, target >= ${TARGETS.loadRate.toLocaleString("en-US")}/s): ${ok}`,
    );
  } else {
    lines.push("Bulk load: skipped, the database already held this data set (rerun with --fresh to measure it).");
  }
  if (report.statementsBySize) {
    const { small, large } = report.statementsBySize;
    lines.push(`Statements for one page of (a): ${small} at 5 events, ${large} at 100 events: ${small === large ? "constant, PASS" : "MISS"}`);
  }
  return [...lines, ...report.notes];
}

const START = "<!-- bench:latest-run:start -->";
const END = "<!-- bench:latest-run:end -->";

/** Replaces the "Latest run" section of BENCHMARKS.md (between its markers), or appends one. */
export function writeLatestRun(file: string, report: Report): void {
  const section = [
    START,
    "## Latest run",
    "",
    `\`${report.command}\`, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Machine: ${machineLine(report)}.`,
    "",
    table(report.rows, report.peer?.label ?? undefined),
    "",
    ...summaryLines(report).map((line) => `- ${line}`),
    END,
  ].join("\n");
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
