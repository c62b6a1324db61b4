import { columnSet } from "../common/columns";

/** A location's columns as the API's Location type names them, for every query that reads one. */
export const LOCATION = columnSet({
  id: "id",
  slug: "slug",
  name: "name",
  kind: "kind",
  aliases: "aliases",
  countryCode: "country_code",
  latitude: "latitude",
  longitude: "longitude",
  parentId: "parent_id",
});

export const locationSelect = LOCATION.select;
export const locationColumns = LOCATION.sql;
export const locationJson = LOCATION.json;
