import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { badUserInput } from "./errors";
import { formatPartialDate, parsePartialDate, type PartialDate } from "./partial-date";

/**
 * The contract's `DateTime`: graphql-scalars' ISO date-time, which serialises to a string
 * (its plain `DateTime` hands a Date object to whatever serialises the response).
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: "DateTime",
  description: "An ISO-8601 date-time with offset, e.g. 2024-01-17T00:00:00.000Z.",
});

/**
 * The contract's `PartialDate`. Parsed values are `PartialDate` periods; a malformed value is a
 * BAD_USER_INPUT error whether it came inline or as a variable.
 */
export const PartialDateScalar = new GraphQLScalarType<PartialDate, string>({
  name: "PartialDate",
  description:
    "An ISO-8601 date at the precision it is known: 2024, 2024-01, 2024-01-17, or a full date-time with offset. " +
    'As a filter bound it stands for the whole period: `from: "2024-01"` starts at 2024-01-01T00:00Z, `to: "2024-01"` ends ' +
    "with the last instant of January (both bounds inclusive). Anything else is a BAD_USER_INPUT error.",
  serialize(value) {
    if (typeof value === "string") return value;
    if (value && typeof value === "object" && "precision" in value && "start" in value) {
      return formatPartialDate(value as PartialDate);
    }
    throw new TypeError("PartialDate cannot represent this value");
  },
  parseValue(value) {
    return parsePartialDate(value, "PartialDate");
  },
  parseLiteral(ast) {
    try {
      if (ast.kind !== Kind.STRING) throw badUserInput('PartialDate must be a string such as "2024-01"');
      return parsePartialDate(ast.value, "PartialDate");
    } catch (error) {
      // Point the client at the offending literal in its query.
      if (error instanceof GraphQLError) throw new GraphQLError(error.message, { nodes: ast, extensions: error.extensions });
      throw error;
    }
  },
});
