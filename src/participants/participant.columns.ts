import { columnSet } from "../common/columns";

/** A participant's columns as the API's Participant type names them, for every query that reads one. */
export const PARTICIPANT = columnSet({
  id: "id",
  slug: "slug",
  name: "name",
  kind: "kind",
  aliases: "aliases",
  description: "description",
  countryId: "country_id",
});

export const participantSelect = PARTICIPANT.select;
export const participantColumns = PARTICIPANT.sql;
export const participantJson = PARTICIPANT.json;
