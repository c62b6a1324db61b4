import type { Database } from "../../src/db/database";
import { defaultDateRules } from "../../src/events/event-dates";
import { BulkLoadService, type BulkEvent } from "../../src/ingest/bulk-load";
import { generateEvents, periodOfEvent, type World } from "./dataset";

export interface LoadResult {
  events: number;
  sources: number;
  seconds: number;
  /** Events per second over the whole load: places, participants, sources, events and their links. */
  rate: number;
}

const BATCH = 5_000;
/** Batches written at once, each on its own connection: Postgres gets both cores. */
const IN_FLIGHT = 2;

/** Loads the world and its events through the service's bulk path, printing progress. */
export async function loadDataset(db: Database, world: World, print: (line: string) => void): Promise<LoadResult> {
  const bulk = new BulkLoadService(db.prisma, defaultDateRules());
  const started = performance.now();

  const countryIds = await bulk.locations(world.countries.map((c) => ({ ...c, parentId: null })));
  const regionIds = await bulk.locations(world.regions.map((r) => ({ ...r, parentId: countryIds[r.parent!] })));
  const cityIds = await bulk.locations(world.cities.map((c) => ({ ...c, parentId: regionIds[c.parent!] })));
  const levels = [countryIds, regionIds, cityIds];
  const participantIds = await bulk.participants(
    world.participants.map((p) => ({ ...p, countryId: p.country == null ? null : countryIds[p.country] })),
  );
  print(`  ${countryIds.length + regionIds.length + cityIds.length} locations, ${participantIds.length} participants`);

  const eventIds = new Int32Array(world.shape.events);
  const sourceIds: number[] = [];
  let loaded = 0;
  let lastReport = performance.now();
  const inFlight: Array<Promise<void>> = [];
  let sourcesWritten: Promise<unknown> = Promise.resolve();
  for (const batch of generateEvents(world, BATCH)) {
    // Ids first, so that this batch can name the events of one still being written.
    const newSourceIds = await bulk.reserveIds("sources", batch.sources.length);
    sourceIds.push(...newSourceIds);
    const ids = await bulk.reserveIds("events", batch.events.length);
    eventIds.set(ids, batch.events[0].seq);
    // Causes within the batch are written with it (its windows computed before the insert, no second
    // pass); causes in earlier batches, one of which may still be in flight, are linked once it commits.
    const firstSeq = batch.events[0].seq;
    const rows: BulkEvent[] = batch.events.map((event) => ({
      key: `e${event.seq}`,
      causes: event.causes.filter((seq) => seq >= firstSeq).map((seq) => `e${seq}`),
      title: event.title,
      summary: event.summary,
      date: periodOfEvent(event),
      category: event.category,
      status: event.status,
      fatalities: event.fatalities,
      injured: event.injured,
      locationId: levels[event.location[0]][event.location[1]],
      participants: event.participants.map(({ participant, role }) => ({ participantId: participantIds[participant], role })),
      sources: event.sources.map((seq) => ({ sourceId: sourceIds[seq], key: `e${event.seq}` })),
    }));
    const links = batch.events.flatMap((event) =>
      event.causes.filter((seq) => seq < firstSeq).map((seq) => ({ causeId: eventIds[seq], effectId: eventIds[event.seq] })),
    );
    const previous = inFlight[inFlight.length - 1] ?? Promise.resolve();
    const previousSources = sourcesWritten;
    const sources = (sourcesWritten = bulk.sources(batch.sources, newSourceIds));
    inFlight.push(
      (async () => {
        // Foreign keys see committed rows only: this batch's events may cite the last batch's articles.
        await Promise.all([sources, previousSources]);
        await bulk.events(rows, ids);
        // Causes may be in the batch before, still being written: link once it has committed.
        await previous;
        await bulk.links(links);
        loaded += rows.length;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          const rate = loaded / ((lastReport - started) / 1000);
          print(`  ${loaded.toLocaleString("en-US")} events, ${Math.round(rate).toLocaleString("en-US")}/s`);
        }
      })(),
    );
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  return { events: loaded, sources: sourceIds.length, seconds, rate: loaded / seconds };
}
