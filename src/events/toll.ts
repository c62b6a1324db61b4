import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { TollQualifier } from "../generated/prisma/enums";
import { badUserInput } from "../common/errors";
import { LIMITS, optionalText, toll as count } from "../common/validate";

registerEnumType(TollQualifier, {
  name: "TollQualifier",
  description: "How the source worded a figure.",
  valuesConfig: {
    EXACT: { description: "'two children were killed'." },
    AT_LEAST: { description: "'at least nine', 'more than 20': low is set, high is not." },
    AT_MOST: { description: "'up to 30', 'fewer than ten': high is set." },
    ABOUT: { description: "'about 50', 'some 50', 'dozens': best is an estimate." },
    RANGE: { description: "'between 8 and 12', or several figures from several claims: low and high are set." },
  },
});

@ObjectType({
  description:
    "A count of people (deaths, injuries) as reported, UCDP-style: low, best and high estimates,\n`low <= best <= high` where set. " +
    "The numbers are the source's own ('more than 20': low 20).\nWhen `best` is not given it is the conservative figure: `low` where set, " +
    "else `high`. EXACT\nsets all three to the figure; AT_LEAST sets low (high stays null); AT_MOST sets high; ABOUT\nsets best " +
    "(low and high when given); RANGE sets low and high.",
})
export class Toll {
  @Field(() => Int, { nullable: true })
  low!: number | null;

  @Field(() => Int, { nullable: true, description: "The figure to use when one number is needed; what `fatalities` / `injured` show." })
  best!: number | null;

  @Field(() => Int, { nullable: true })
  high!: number | null;

  @Field(() => TollQualifier)
  qualifier!: TollQualifier;

  @Field(() => String, { nullable: true, description: "The figure in the source's words, when it gave words: 'at least nine'." })
  text!: string | null;
}

@InputType()
export class TollInput {
  @Field(() => Int, { nullable: true })
  low?: number | null;

  @Field(() => Int, { nullable: true })
  best?: number | null;

  @Field(() => Int, { nullable: true })
  high?: number | null;

  @Field(() => TollQualifier, { nullable: true, defaultValue: TollQualifier.EXACT })
  qualifier?: TollQualifier | null;

  @Field(() => String, { nullable: true })
  text?: string | null;
}

/** A toll as stored: every figure the qualifier sets, best always set. */
export interface StoredToll {
  low: number | null;
  best: number;
  high: number | null;
  qualifier: TollQualifier;
  text: string | null;
}

/**
 * A TollInput checked and completed by the contract's rules (Toll's description): which ends
 * the qualifier sets, `best` the conservative figure when not given, `0 <= low <= best <= high`.
 * `field` names the input in messages ("input.deaths").
 */
export function checkToll(input: TollInput, field: string): StoredToll {
  const qualifier = input.qualifier ?? TollQualifier.EXACT;
  const [low, best, high] = (["low", "best", "high"] as const).map((end) => count(input[end], `${field}.${end}`));
  const text = optionalText(input.text, `${field}.text`, LIMITS.tollText);
  const given = [low, best, high].filter((value): value is number => value !== null);
  if (!given.length) throw badUserInput(`${field}: give the figure (low, best or high)`, field);
  const refuse = (why: string) => badUserInput(`${field}: ${qualifier} ${why}`, `${field}.qualifier`);
  let toll: StoredToll;
  switch (qualifier) {
    case TollQualifier.EXACT: {
      if (new Set(given).size > 1) throw refuse("sets low, best and high to one figure: they differ");
      toll = { low: given[0], best: given[0], high: given[0], qualifier, text };
      break;
    }
    case TollQualifier.AT_LEAST:
      if (low === null) throw refuse("needs low ('at least nine': low 9)");
      if (high !== null) throw refuse("leaves high open: give RANGE for both ends");
      toll = { low, best: best ?? low, high: null, qualifier, text };
      break;
    case TollQualifier.AT_MOST:
      if (high === null) throw refuse("needs high ('up to 30': high 30)");
      toll = { low, best: best ?? low ?? high, high, qualifier, text };
      break;
    case TollQualifier.ABOUT:
      if (best === null) throw refuse("needs best ('about 50': best 50)");
      toll = { low, best, high, qualifier, text };
      break;
    case TollQualifier.RANGE:
      if (low === null || high === null) throw refuse("needs low and high ('between 8 and 12')");
      toll = { low, best: best ?? low, high, qualifier, text };
      break;
  }
  if (toll.low !== null && toll.low > toll.best) throw badUserInput(`${field}: low (${toll.low}) must not be above best (${toll.best})`, `${field}.low`);
  if (toll.high !== null && toll.best > toll.high) throw badUserInput(`${field}: best (${toll.best}) must not be above high (${toll.high})`, `${field}.high`);
  return toll;
}

/** A plain figure (`fatalities: 9`): EXACT. */
export function exactToll(figure: number): StoredToll {
  return { low: figure, best: figure, high: figure, qualifier: TollQualifier.EXACT, text: null };
}

/**
 * The toll an event's inputs give: from `deaths` (or `injuries`), or from the plain figure
 * (`fatalities`, `injured`); both only when they agree (a null figure beside a toll is the toll).
 * Undefined when neither was given (an update leaves it), null when cleared.
 */
export function tollOf(
  figure: number | null | undefined,
  toll: TollInput | null | undefined,
  names: { figure: string; toll: string },
): StoredToll | null | undefined {
  const checkedFigure = figure === undefined ? undefined : count(figure, names.figure);
  const checked = toll == null ? toll : checkToll(toll, names.toll);
  if (checked && checkedFigure != null && checkedFigure !== checked.best) {
    throw badUserInput(`${names.figure} (${checkedFigure}) and ${names.toll}.best (${checked.best}) disagree: give one, or the same figure`, names.figure);
  }
  if (checked) return checked;
  if (checkedFigure === undefined) return checked;
  return checkedFigure === null ? null : exactToll(checkedFigure);
}

/** The toll as served: null when unknown. */
export function servedToll(row: { best: number | null; low: number | null; high: number | null; qualifier: TollQualifier | null; text: string | null }): Toll | null {
  if (row.qualifier === null || row.best === null) return null;
  return { low: row.low, best: row.best, high: row.high, qualifier: row.qualifier, text: row.text };
}
