import { Client } from "pg";
import type { Database } from "../../src/db/database";
import type { BoundQuery } from "./page-sql";

export interface Statement {
  text: string;
  values: unknown[];
}

/** The SQL statements the service sends while `run` runs, with their parameters. */
export async function captureStatements(db: Database, run: () => Promise<unknown>): Promise<Statement[]> {
  const captured: Statement[] = [];
  let capturing = true;
  db.prisma.$on("query", (event) => {
    if (capturing) captured.push({ text: event.query, values: JSON.parse(event.params) as unknown[] });
  });
  try {
    await run();
  } finally {
    capturing = false;
  }
  return captured;
}

export interface Plan {
  label: string;
  text: string;
  plan: string;
  executionMs: number;
}

/** EXPLAIN (ANALYZE, BUFFERS) of each statement, run twice so the second reads a warm cache. */
export async function explain(url: string, statements: ReadonlyArray<{ label: string } & (Statement | BoundQuery)>): Promise<Plan[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const plans: Plan[] = [];
    for (const statement of statements) {
      const sql = `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`;
      try {
        await client.query(sql, statement.values);
        const { rows } = await client.query<{ "QUERY PLAN": string }>(sql, statement.values);
        const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
        const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
        plans.push({ label: statement.label, text: statement.text, plan, executionMs });
      } catch (err) {
        plans.push({ label: statement.label, text: statement.text, plan: `could not explain: ${(err as Error).message}`, executionMs: NaN });
      }
    }
    return plans;
  } finally {
    await client.end();
  }
}
