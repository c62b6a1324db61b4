import { Prisma } from "../generated/prisma/client";

/**
 * An instant as JSON: milliseconds since the epoch (new Date(ms) reads it back). JSON has no
 * dates, and the text Postgres would write depends on the session's TimeZone (offsets such as
 * +04:28:12 for old dates in Asia/Karachi, which JavaScript cannot parse); a number reads back
 * exactly whatever the server's settings.
 */
export const jsonInstant = (instant: Prisma.Sql): Prisma.Sql => Prisma.sql`(extract(epoch FROM ${instant}) * 1000)::float8`;
