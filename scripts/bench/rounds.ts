import type { RunStats } from "./drive";

/**
 * Runs each of `runners` once a round for `rounds` rounds, in the given order in odd rounds (1, 3,
 * …) and in reverse in even ones, so that neither side always runs on the machine the other has
 * just warmed (or heated). Returns each runner's results, in round order.
 */
export async function interleavedRounds<T>(rounds: number, runners: ReadonlyArray<() => Promise<T>>): Promise<T[][]> {
  const results: T[][] = runners.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = runners.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) results[index].push(await runners[index]());
  }
  return results;
}

/** One run standing for several: the median of each rate and latency, the sums of what is counted. */
export function medianRun(runs: readonly RunStats[]): RunStats {
  if (!runs.length) throw new Error("medianRun needs at least one run");
  const sum = (pick: (run: RunStats) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    requests: sum((run) => run.requests),
    seconds: sum((run) => run.seconds),
    perSecond: median(runs.map((run) => run.perSecond)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    failures: sum((run) => run.failures),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
