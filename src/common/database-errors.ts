import { GraphQLError } from "graphql";
import { Prisma } from "../generated/prisma/client";
import { ErrorCode } from "./errors";

// SQLSTATEs that mean the client asked for something the data does not allow, as graphile/starter maps them.
const BY_SQLSTATE: Record<string, { code: ErrorCode; message: string }> = {
  "23505": { code: ErrorCode.BAD_USER_INPUT, message: "That would duplicate a record that must be unique" },
  "23503": { code: ErrorCode.BAD_USER_INPUT, message: "That refers to a record that does not exist, or one still in use" },
  "23514": { code: ErrorCode.BAD_USER_INPUT, message: "That value is outside what the database accepts" },
  "22001": { code: ErrorCode.BAD_USER_INPUT, message: "A value is too long" },
  "22021": { code: ErrorCode.BAD_USER_INPUT, message: "A value holds a character the database cannot store (such as NUL)" },
  "57014": { code: ErrorCode.TIMEOUT, message: "The query took longer than the database allows; narrow the filter or ask for less" },
};

const BY_PRISMA_CODE: Record<string, string> = { P2002: "23505", P2003: "23503", P2004: "23514", P2000: "22001" };

/**
 * The client-facing error for a database error that is the client's doing (a unique, foreign
 * key or check violation, a missing row), or null for anything else, which stays masked.
 */
export function clientErrorFromDatabase(error: unknown): GraphQLError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  if (error.code === "P2025") return new GraphQLError("The record does not exist", { extensions: { code: ErrorCode.NOT_FOUND } });
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
  const sqlState = BY_PRISMA_CODE[error.code] ?? cause?.originalCode;
  const mapped = sqlState ? BY_SQLSTATE[sqlState] : undefined;
  return mapped ? new GraphQLError(mapped.message, { extensions: { code: mapped.code } }) : null;
}

// Prisma's codes for a database it cannot reach or lost on the way: can't reach (P1001), timed out
// (P1002), connection closed (P1017), no connection free in the pool in time (P2024).
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
// Driver adapters' kinds for the same.
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// SQLSTATEs: connection exceptions (class 08), the server shutting down or starting (57P01-57P03),
// too many connections (53300).
const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]$|53300$)/;
// pg's own errors for a connection that broke or never opened, and a closed embedded database:
// the start of their messages, and Node's socket error codes. Never a client's error that merely
// mentions one of these words.
const UNAVAILABLE_MESSAGE = /^(Connection terminated|Connection ended|Client has encountered a connection error|PGlite is closed)/;
const UNAVAILABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * Whether an error says the database cannot be reached (down, restarting, the network cut, the
 * pool exhausted): not the request's fault, and worth trying again shortly. A GraphQL error, or
 * an HTTP error with a 4xx status, is the client's and never counts.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== "object" || error instanceof GraphQLError) return false;
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status < 500) return false;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNAVAILABLE_PRISMA_CODES.has(error.code)) return true;
    const cause = (error.meta as { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
    return UNAVAILABLE_KINDS.has(String(cause?.kind)) || UNAVAILABLE_SQLSTATE.test(String(cause?.originalCode ?? ""));
  }
  // A driver adapter's own error (as a transaction's rollback throws it), with what Postgres said.
  const adapter = (error as { cause?: { kind?: unknown; originalCode?: unknown } }).cause;
  if (adapter && (UNAVAILABLE_KINDS.has(String(adapter.kind)) || UNAVAILABLE_SQLSTATE.test(String(adapter.originalCode ?? "")))) return true;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return typeof message === "string" && UNAVAILABLE_MESSAGE.test(message);
}

/** What a client is told while the database cannot be reached. */
export function unavailableMessage(retryAfterSeconds: number): string {
  return (
    `The database could not be reached; try again in ${retryAfterSeconds} s. ` +
    "A write cut off this way may have been stored just before the connection broke: read it back before sending it again"
  );
}
