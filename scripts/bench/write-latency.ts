// Single-write latency through the API, measured from outside as a client sees it:
// `npx tsx scripts/bench/write-latency.ts http://127.0.0.1:4000 $API_TOKEN [rounds]`. Sequential
// createEvent, updateEvent (title and toll), updateEvent of the date, and deleteEvent on events of
// its own, one after another (no concurrency), after a warm-up; prints p50 and p90 of each. Being a
// client only, it measures any version of the server alike (BENCHMARKS.md, change log).
import { performance } from "node:perf_hooks";

const [base = "http://127.0.0.1:4000", token = "", roundsText = "200"] = process.argv.slice(2);
const rounds = Number(roundsText);

async function call(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data;
}

const CREATE = `mutation($input: EventInput!) { createEvent(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: EventUpdateInput!) { updateEvent(id: $id, input: $input) { id } }`;
const DELETE = `mutation($id: ID!) { deleteEvent(id: $id) }`;

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  samples.push(performance.now() - started);
  return result;
}

async function main() {
  const samples = { create: [] as number[], update: [] as number[], redate: [] as number[], delete: [] as number[] };
  for (let round = -20; round < rounds; round++) {
    const sink = round < 0 ? { create: [], update: [], redate: [], delete: [] } : samples;
    const { createEvent } = await timed(sink.create, () =>
      call(CREATE, { input: { title: `Latency probe ${round}`, date: "2021-03-04", category: "OTHER", fatalities: 1 } }),
    );
    await timed(sink.update, () => call(UPDATE, { id: createEvent.id, input: { title: `Latency probe ${round} (revised)`, fatalities: 2 } }));
    await timed(sink.redate, () => call(UPDATE, { id: createEvent.id, input: { date: "2021-03-05" } }));
    await timed(sink.delete, () => call(DELETE, { id: createEvent.id }));
  }
  const at = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  for (const [name, values] of Object.entries(samples)) {
    console.log(`${name.padEnd(7)} p50 ${at(values, 0.5).toFixed(2)} ms, p90 ${at(values, 0.9).toFixed(2)} ms (${values.length})`);
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
