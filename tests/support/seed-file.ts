import { readFileSync } from "node:fs";
import path from "node:path";

interface TollJson {
  low?: number;
  best?: number;
  high?: number;
}

interface EventJson {
  fatalities?: number;
  injured?: number;
  deaths?: TollJson;
  injuries?: TollJson;
  claims?: Array<{ deaths?: TollJson; injuries?: TollJson }>;
  [field: string]: unknown;
}

/** The seed's article as its JSON file holds it. */
export const SEED_FILE = path.join(__dirname, "..", "..", "seed", "ap-2024-01-29-iran-pakistan.json");

/**
 * The seed file with each event's best figures (`fatalities`, `injured`) worked out from the
 * contract's rules, written here apart from the service: a plain figure; else its own toll's best
 * (the conservative end when not given); else its claims' (one figure: it; several: the lower
 * median).
 */
export function readSeed<T = Record<string, any>>(): T & { events: Array<EventJson & { fatalities?: number; injured?: number }> } {
  const seed = JSON.parse(readFileSync(SEED_FILE, "utf8"));
  seed.events = seed.events.map((event: EventJson) => ({
    ...event,
    fatalities: bestOf(event.fatalities, event.deaths, event.claims?.map((claim) => claim.deaths)),
    injured: bestOf(event.injured, event.injuries, event.claims?.map((claim) => claim.injuries)),
  }));
  return seed;
}

function bestOf(figure: number | undefined, toll: TollJson | undefined, claimed: Array<TollJson | undefined> = []): number | undefined {
  const best = (t: TollJson) => t.best ?? t.low ?? t.high;
  if (figure !== undefined) return figure;
  if (toll) return best(toll);
  const bests = claimed.flatMap((t) => (t ? [best(t)!] : [])).sort((a, b) => a - b);
  return bests.length ? bests[Math.floor((bests.length - 1) / 2)] : undefined;
}
