import { GraphQLError } from "graphql";
import { Prisma } from "../src/generated/prisma/client";
import { isDatabaseUnavailable } from "../src/common/database-errors";

// Which failures mean "the database cannot be reached, try again" (503) rather than a bug (500)
// or the client's doing (400): the shapes Prisma 7, its driver adapters and pg give them, as seen
// with Postgres stopped, backends terminated, the network cut, and PGlite closed.

const known = (code: string, meta: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError("failed", { code, clientVersion: "7", meta });
const adapter = (cause: Record<string, unknown>) => ({ driverAdapterError: { name: "DriverAdapterError", cause } });

it.each([
  ["Prisma: can't reach the server", known("P1001", adapter({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }))],
  ["a raw query, the server unreachable", known("P2010", adapter({ kind: "DatabaseNotReachable" }))],
  ["a backend terminated by an administrator", known("P2010", adapter({ kind: "postgres", originalCode: "57P01" }))],
  ["the server starting up", known("P2010", adapter({ kind: "postgres", originalCode: "57P03" }))],
  ["a connection exception", known("P2010", adapter({ kind: "postgres", originalCode: "08006" }))],
  ["the pool exhausted", known("P2024", {})],
  ["a rollback's own adapter error", Object.assign(new Error("terminating connection"), { name: "DriverAdapterError", cause: { kind: "postgres", originalCode: "57P01" } })],
  ["pg: connection cut", new Error("Connection terminated unexpectedly")],
  ["pg: a client broken earlier", new Error("Client has encountered a connection error and is not queryable")],
  ["connection refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
  ["PGlite closed", new Error("PGlite is closed")],
])("%s is the database out of reach", (_name, error) => {
  expect(isDatabaseUnavailable(error)).toBe(true);
});

it.each([
  ["a unique violation", known("P2002", adapter({ kind: "postgres", originalCode: "23505" }))],
  ["a check violation", known("P2010", adapter({ kind: "postgres", originalCode: "23514" }))],
  ["a statement timeout", known("P2010", adapter({ kind: "postgres", originalCode: "57014" }))],
  ["a deadlock", known("P2034", adapter({ kind: "postgres", originalCode: "40P01" }))],
  ["a bug", new TypeError("Cannot read properties of undefined")],
  ["a client's query naming a socket error", new GraphQLError('Cannot query field "ECONNRESET" on type "Query".')],
  ["a client's body that does not parse", Object.assign(new SyntaxError('Unexpected token E in JSON: {"query": ECONNRESET}'), { status: 400 })],
  ["a message that only mentions one", new Error("upstream said ECONNREFUSED")],
  ["nothing", null],
])("%s is not", (_name, error) => {
  expect(isDatabaseUnavailable(error)).toBe(false);
});
