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
