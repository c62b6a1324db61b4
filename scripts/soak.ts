// `npm run soak`: 8 clients for 60 s of mixed reads and writes over HTTP against a server on a
// Postgres database of its own (SOAK_DATABASE_URL, default timeline_soak on the local server,
// recreated each run). Prints requests, errors (must be 0), p50/p99. Not part of `npm test`.
//   npm run soak -- [--clients 8] [--duration 60]
import "reflect-metadata";
import { parseArgs } from "node:util";
import pino from "pino";
import { Client } from "pg";
import { openDatabase } from "../src/db/database";
import { migrate } from "../src/db/migrate";
import { createServer } from "../src/server";
import { seedDatabase } from "../seed/seed";

const TOKEN = "soak-token-0123456789abcdef";
const { values } = parseArgs({ options: { clients: { type: "string", default: "8" }, duration: { type: "string", default: "60" } } });
const clients = Number(values.clients);
const durationMs = Number(values.duration) * 1000;

const READS = [
  `{ timeline(first: 50) { edges { node { id title date location { name } participants { role participant { slug } } sources { url } causes { id } } } } }`,
  `{ timeline(first: 20, order: DESC, filter: { categories: [AIRSTRIKE, ATTACK], minFatalities: 1 }) { totalCount edges { node { id title } } } }`,
  `{ location(slug: "pakistan") { events(first: 20) { totalCount edges { node { title } } } } }`,
  `{ participants(search: "pak") { edges { node { slug name } } } }`,
  `{ timeline(filter: { search: "strikes" }) { edges { node { title } } } }`,
];

async function main(): Promise<void> {
  const url = new URL(process.env.SOAK_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/timeline_soak");
  const name = url.pathname.slice(1);
  if (!/^timeline_soak\w*$/.test(name)) throw new Error(`Refusing to recreate "${name}": soak databases are named timeline_soak*`);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const db = await openDatabase({ kind: "server", url: url.toString() }, { statementTimeoutMs: 5000 });
  await migrate(db);
  await seedDatabase(db);
  const server = await createServer({ db, log: pino({ level: "warn" }), apiToken: TOKEN });
  const { port } = await server.listen(0, "127.0.0.1");
  const endpoint = `http://127.0.0.1:${port}/graphql`;

  const latencies: number[] = [];
  const errors: string[] = [];
  const byKind = { read: 0, create: 0, update: 0 };
  const created: string[] = [];
  const deadline = Date.now() + durationMs;

  const request = async (query: string, variables?: Record<string, unknown>, write = false) => {
    const started = performance.now();
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...(write ? { authorization: `Bearer ${TOKEN}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message: string }> };
    latencies.push(performance.now() - started);
    if (response.status !== 200 || body.errors) errors.push(`${response.status} ${body.errors?.[0]?.message ?? ""}`);
    return body.data;
  };

  const client = async (index: number) => {
    for (let i = 0; Date.now() < deadline; i++) {
      const roll = (i * 7 + index * 13) % 20;
      if (roll < 16) {
        byKind.read += 1;
        await request(READS[(i + index) % READS.length]);
      } else if (roll < 18 || created.length === 0) {
        byKind.create += 1;
        const data = await request(
          `mutation($input: EventInput!) { createEvent(input: $input) { id } }`,
          { input: { title: `Soak ${index}-${i}`, date: `2024-02-${String((i % 28) + 1).padStart(2, "0")}`, category: "OTHER", location: "islamabad", participants: [{ participant: "pakistan", role: "ACTOR" }] } },
          true,
        );
        if (data?.createEvent) created.push(data.createEvent.id);
      } else {
        byKind.update += 1;
        await request(
          `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id } }`,
          { id: created[i % created.length], input: { summary: `Updated by client ${index} at step ${i}` } },
          true,
        );
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  const seconds = (Date.now() - started) / 1000;

  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(`soak: ${clients} clients, ${seconds.toFixed(0)} s, Postgres at ${url.host}`);
  console.log(`requests ${latencies.length} (${(latencies.length / seconds).toFixed(0)}/s: ${byKind.read} reads, ${byKind.create} creates, ${byKind.update} updates)`);
  console.log(`errors   ${errors.length}`);
  console.log(`p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
  for (const error of [...new Set(errors)].slice(0, 5)) console.log(`  ${error}`);

  await server.stop();
  await db.close();
  process.exit(errors.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
