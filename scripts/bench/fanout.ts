// Fan-out of the live feed (#14): 1,000 timelineChanged subscriptions on one server, over 10
// WebSockets, under 20 distinct filters (most subscribers share a dashboard's filter, as they
// do), then a stream of writes through the mutation's service. Measured: how long from the
// start of a write to each delivery (p50/p99), how many SQL statements the feed spent per
// write, and the process's CPU per write. The clients run in the same process, so the CPU
// figure includes their share of parsing each delivery: an upper bound for the server's.
import { createClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import type { Database } from "../../src/db/database";
import { parsePartialDate } from "../../src/common/partial-date";
import type { EventCategory } from "../../src/generated/prisma/enums";
import type { TimelineServer } from "../../src/server";

export interface FanoutResult {
  subscriptions: number;
  filters: number;
  writes: number;
  deliveries: number;
  expectedDeliveries: number;
  p50: number;
  p99: number;
  /** SQL statements per write, the write's own included. */
  statementsPerWrite: number;
  cpuMsPerWrite: number;
}

const CATEGORIES = ["AIRSTRIKE", "ARMED_CLASH", "ATTACK", "EXPLOSION", "PROTEST", "RIOT", "DIPLOMACY", "STATEMENT", "LEGAL", "POLITICAL"];
const SUBSCRIPTION = `subscription($filter: TimelineFilter) { timelineChanged(filter: $filter) { kind eventId version event { id title } } }`;

export async function measureFanout(db: Database, server: TimelineServer, base: string, subscriptions = 1000, writes = 200): Promise<FanoutResult> {
  const sockets = 10;
  // 20 filters: one per category, and the same ten with a minimum toll.
  const filters = CATEGORIES.flatMap((category) => [{ categories: [category] }, { categories: [category], minFatalities: 1 }]);
  const clients: WsClient[] = [];
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let deliveries = 0;
  const hub = server.createContext().services.feedHub!;
  const live = hub.subscriptions;
  try {
    for (let s = 0; s < sockets; s++) {
      clients.push(createClient({ url: `${base.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false }));
    }
    for (let i = 0; i < subscriptions; i++) {
      const filter = filters[i % filters.length];
      clients[i % sockets].subscribe(
        { query: SUBSCRIPTION, variables: { filter } },
        {
          next: (result) => {
            const change = (result.data as { timelineChanged?: { eventId: string } } | undefined)?.timelineChanged;
            if (!change) return;
            deliveries += 1;
            const at = started.get(change.eventId);
            if (at !== undefined) latencies.push(performance.now() - at);
          },
          error: (error) => console.error("fan-out subscription failed", error),
          complete: () => undefined,
        },
      );
    }
    // Every subscription registered before the first write: a wait on the hub's count.
    const deadline = Date.now() + 60_000;
    while (hub.subscriptions < live + subscriptions) {
      if (Date.now() > deadline) throw new Error(`only ${hub.subscriptions - live} of ${subscriptions} subscriptions started`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const writer = server.createContext().services.eventWrites;
    let expectedDeliveries = 0;
    const cpu = process.cpuUsage();
    const statements = db.statements.count;
    const ids: number[] = [];
    for (let w = 0; w < writes; w++) {
      const category = CATEGORIES[w % CATEGORIES.length];
      const fatalities = w % 3;
      const at = performance.now();
      const day = new Date(Date.UTC(1991, 0, 1 + (w % 300))).toISOString().slice(0, 10);
      const event = await writer.create({ title: `Fan-out ${w}`, date: parsePartialDate(day), category: category as EventCategory, fatalities });
      started.set(String(event.id), at);
      ids.push(event.id);
      // Subscribers of its category's filter, and of the toll filter when it has a toll.
      const perFilter = subscriptions / filters.length;
      expectedDeliveries += perFilter * (fatalities >= 1 ? 2 : 1);
    }
    // Every delivery made: a wait on the count, bounded.
    const until = Date.now() + 60_000;
    while (deliveries < expectedDeliveries && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const used = process.cpuUsage(cpu);
    const spent = db.statements.count - statements;
    latencies.sort((a, b) => a - b);
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    await db.prisma.$executeRaw`DELETE FROM events WHERE id = ANY(${ids}::int[])`;
    return {
      subscriptions,
      filters: filters.length,
      writes,
      deliveries,
      expectedDeliveries,
      p50: pick(0.5),
      p99: pick(0.99),
      statementsPerWrite: spent / writes,
      cpuMsPerWrite: (used.user + used.system) / 1000 / writes,
    };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

export function describeFanout(result: FanoutResult): string {
  return (
    `Fan-out: ${result.subscriptions.toLocaleString("en-US")} timelineChanged subscriptions under ${result.filters} filters, ` +
    `${result.writes} writes one after another: ${result.deliveries.toLocaleString("en-US")} of ${result.expectedDeliveries.toLocaleString("en-US")} ` +
    `deliveries, write start to delivery p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms; ` +
    `${result.statementsPerWrite.toFixed(1)} SQL statements and ${result.cpuMsPerWrite.toFixed(1)} ms of process CPU per write (clients included)`
  );
}
