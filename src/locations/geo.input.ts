import { Field, Float, InputType } from "type-graphql";
import { badUserInput } from "../common/errors";

@InputType()
export class GeoCircleInput {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;

  @Field(() => Float, { description: "Great-circle distance, more than 0 and at most 20,000 km." })
  radiusKm!: number;
}

@InputType()
export class GeoBoxInput {
  @Field(() => Float)
  south!: number;

  @Field(() => Float)
  west!: number;

  @Field(() => Float)
  north!: number;

  @Field(() => Float)
  east!: number;
}

/** Half the Earth's circumference, near enough: no two points are further apart. */
export const MAX_RADIUS_KM = 20_000;

function latitude(value: number, field: string): number {
  if (!Number.isFinite(value) || value < -90 || value > 90) throw badUserInput(`${field} must be a latitude, from -90 to 90`, field);
  return value;
}

function longitude(value: number, field: string): number {
  if (!Number.isFinite(value) || value < -180 || value > 180) throw badUserInput(`${field} must be a longitude, from -180 to 180`, field);
  return value;
}

/** The circle, checked: coordinates on the globe, a radius above 0 and at most MAX_RADIUS_KM. */
export function checkCircle(circle: GeoCircleInput, field: string): GeoCircleInput {
  if (!Number.isFinite(circle.radiusKm) || circle.radiusKm <= 0 || circle.radiusKm > MAX_RADIUS_KM) {
    throw badUserInput(`${field}.radiusKm must be more than 0 and at most ${MAX_RADIUS_KM.toLocaleString("en-US")} km`, `${field}.radiusKm`);
  }
  return {
    latitude: latitude(circle.latitude, `${field}.latitude`),
    longitude: longitude(circle.longitude, `${field}.longitude`),
    radiusKm: circle.radiusKm,
  };
}

/** The box, checked: south not above north; west may be east of east (the box crosses the antimeridian). */
export function checkBox(box: GeoBoxInput, field: string): GeoBoxInput {
  const checked = {
    south: latitude(box.south, `${field}.south`),
    north: latitude(box.north, `${field}.north`),
    west: longitude(box.west, `${field}.west`),
    east: longitude(box.east, `${field}.east`),
  };
  if (checked.south > checked.north) throw badUserInput(`${field}.south must not be north of ${field}.north`, `${field}.south`);
  return checked;
}
