import { Field, InputType, ObjectType } from "type-graphql";
import { TollQualifier } from "../generated/prisma/enums";
import { boundedInput, httpUrl, LIMITS, optionalText, requiredText } from "../common/validate";
import { Participant } from "../participants/participant.type";
import { Source } from "../sources/source.type";
import { checkToll, Toll, TollInput, type StoredToll } from "./toll";

@ObjectType({
  description:
    "One party's account of an event, with the figures it gave. When an event has claims with\nfigures and no toll of its own, " +
    "its toll is derived: RANGE from the lowest to the highest\nclaimed best figure, best = the lower median of the claims' " +
    "best figures (one claim: that\nclaim's toll).",
})
export class Claim {
  @Field(() => Participant, { nullable: true, description: "Who made it; null when the source does not say." })
  claimant!: Participant | null;

  @Field(() => String, { description: "What was claimed, close to the source's words: 'said the strikes hit militant hideouts'." })
  statement!: string;

  @Field(() => Toll, { nullable: true })
  deaths!: Toll | null;

  @Field(() => Toll, { nullable: true })
  injuries!: Toll | null;

  @Field(() => Source, { nullable: true, description: "Where the claim was reported." })
  source!: Source | null;
}

@InputType()
export class ClaimInput {
  @Field(() => String, { nullable: true, description: "Slug of an existing participant (in ingestArticle: or one the article upserts)." })
  claimant?: string | null;

  @Field(() => String)
  statement!: string;

  @Field(() => TollInput, { nullable: true })
  deaths?: TollInput | null;

  @Field(() => TollInput, { nullable: true })
  injuries?: TollInput | null;

  @Field(() => String, { nullable: true, description: "In ingestArticle: the article itself when absent." })
  sourceUrl?: string | null;
}

/** A claim checked, before its claimant and source are looked up. */
export interface CheckedClaim {
  claimant: string | null;
  statement: string;
  deaths: StoredToll | null;
  injuries: StoredToll | null;
  sourceUrl: string | null;
}

/** Claims as given, checked in order; `field` names the list in messages ("input.claims"). */
export function checkClaims(inputs: readonly ClaimInput[], field: string): CheckedClaim[] {
  boundedInput(inputs, field, LIMITS.claims);
  return inputs.map((input, index) => {
    const at = `${field}[${index}]`;
    // A slug, as a participant's role names one: checked, not trimmed, so "iran " is an unknown
    // participant here as it is in `participants`, not quietly Iran.
    if (input.claimant != null) requiredText(input.claimant, `${at}.claimant`, LIMITS.key);
    return {
      claimant: input.claimant ?? null,
      statement: requiredText(input.statement, `${at}.statement`, LIMITS.claimStatement),
      deaths: input.deaths == null ? null : checkToll(input.deaths, `${at}.deaths`),
      injuries: input.injuries == null ? null : checkToll(input.injuries, `${at}.injuries`),
      sourceUrl: input.sourceUrl == null ? null : httpUrl(input.sourceUrl, `${at}.sourceUrl`),
    };
  });
}

/**
 * The toll an event's claims give it when it has none of its own (Claim's description): none
 * without figures; one claim's (or several identical claims') toll as it is; else RANGE from the
 * lowest to the highest claimed best, best the lower median of the claimed bests.
 */
export function tollFromClaims(tolls: ReadonlyArray<StoredToll | null>): StoredToll | null {
  const figures = tolls.filter((toll): toll is StoredToll => toll !== null);
  if (!figures.length) return null;
  const [first] = figures;
  const same = (toll: StoredToll) =>
    toll.low === first.low && toll.best === first.best && toll.high === first.high && toll.qualifier === first.qualifier && toll.text === first.text;
  if (figures.every(same)) return first;
  const bests = figures.map((toll) => toll.best).sort((a, b) => a - b);
  return { low: bests[0], best: bests[Math.floor((bests.length - 1) / 2)], high: bests[bests.length - 1], qualifier: TollQualifier.RANGE, text: null };
}

/** A claim as the event's JSON list of claims holds it (claimsOfEventJson). */
export interface ClaimJson {
  claimant: Participant | null;
  statement: string;
  deaths: Toll | null;
  injuries: Toll | null;
  source: (Omit<Source, "publishedAt"> & { publishedAt: number }) | null;
}
