// A chain of linked events moved by one write: the time-window propagation (#12) measured on
// the loaded data set. The chain (1,000 events dated to one year, each responding to the one
// before) goes in through the bulk path in a year of its own; one update of the first event's
// notBefore then moves every window down the chain, in the writing transaction. Timed through
// EventWriteService.update (the mutation's service, in process); the chain is deleted after.
import { parsePartialDate } from "../../src/common/partial-date";
import type { Database } from "../../src/db/database";
import { defaultDateRules } from "../../src/events/event-dates";
import { EventWriteService } from "../../src/events/event-write.service";
import { BulkLoadService } from "../../src/ingest/bulk-load";

export interface ChainResult {
  length: number;
  /** The update that moved the chain, in ms, median of `runs`. */
  ms: number;
  runs: number;
  statements: number;
  moved: number;
}

export async function measureChain(db: Database, length = 1000, runs = 3): Promise<ChainResult> {
  const bulk = new BulkLoadService(db.prisma, defaultDateRules());
  const writes = new EventWriteService(db.prisma, { eventsChanged: async () => undefined }, defaultDateRules());
  // 1990: before the data set's 20 years, so the chain meets none of its events.
  const ids = await bulk.events(
    Array.from({ length }, (_, index) => ({
      key: `link-${index}`,
      title: `Bench chain link ${index}`,
      date: parsePartialDate("1990"),
      category: "OTHER" as const,
      causes: index ? [`link-${index - 1}`] : [],
    })),
  );
  try {
    const times: number[] = [];
    let statements = 0;
    for (let run = 0; run < runs; run++) {
      // A different bound each run, so that each one moves the whole chain.
      const day = `1990-0${run + 2}-1${run}`;
      const before = db.statements.count;
      const started = performance.now();
      await writes.update(String(ids[0]), { notBefore: parsePartialDate(day) });
      times.push(performance.now() - started);
      statements = db.statements.count - before;
    }
    const [moved] = await db.prisma.$queryRaw<[{ count: number }]>`
      SELECT count(*)::int AS count FROM events WHERE id = ANY(${ids}::int[]) AND earliest = ${parsePartialDate(`1990-0${runs + 1}-1${runs - 1}`).start}::timestamptz`;
    times.sort((a, b) => a - b);
    return { length, ms: times[Math.floor(times.length / 2)], runs, statements, moved: moved.count };
  } finally {
    await db.prisma.$executeRaw`DELETE FROM events WHERE id = ANY(${ids}::int[])`;
  }
}
