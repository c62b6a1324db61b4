import { Field, InputType } from "type-graphql";
import { EventFieldsInput } from "../events/event.input";
import { LocationInput } from "../locations/location.input";
import { ParticipantInput } from "../participants/participant.input";
import { ArticleMetaInput } from "../sources/article-meta.input";

@InputType()
export class ArticleEventInput extends EventFieldsInput {
  @Field(() => String, {
    description: "Names the event within this article, for `causes` and for re-ingesting the same article.",
  })
  key!: string;

  @Field(() => [String], {
    nullable: true,
    description: "Keys of events of this article, or ids of stored events, that this one responded to.",
  })
  causes?: string[] | null;
}

@InputType({
  description:
    "A news article and what it reports. Ingesting the same url again updates, never duplicates; a failure leaves nothing written.",
})
export class ArticleInput extends ArticleMetaInput {
  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => [ParticipantInput], { nullable: true, description: "Upserted by slug before the events are written." })
  participants?: ParticipantInput[] | null;

  @Field(() => [LocationInput], { nullable: true })
  locations?: LocationInput[] | null;

  @Field(() => [ArticleEventInput])
  events!: ArticleEventInput[];

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "When true, an event that an earlier ingestion of this url drew and this one lacks is\nretracted: the article stops supporting it, and it " +
      "is deleted (a tombstone in the change\nfeed) when no other source supports it. False keeps such events, as version 1 did.",
  })
  retractMissing?: boolean | null;
}
