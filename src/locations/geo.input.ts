import { Field, Float, InputType } from "type-graphql";
import { badUserInput } from "../common/errors";
import { coordinate } from "../common/validate";

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

/** The circle, checked: coordinates on the globe, a radius above 0 and at most MAX_RADIUS_KM. */
export function checkCircle(circle: GeoCircleInput, field: string): GeoCircleInput {
  if (!Number.isFinite(circle.radiusKm) || circle.radiusKm <= 0 || circle.radiusKm > MAX_RADIUS_KM) {
    throw badUserInput(`${field}.radiusKm must be more than 0 and at most ${MAX_RADIUS_KM.toLocaleString("en-US")} km`, `${field}.radiusKm`);
  }
  return {
    latitude: coordinate(circle.latitude, `${field}.latitude`, 90)!,
    longitude: coordinate(circle.longitude, `${field}.longitude`, 180)!,
    radiusKm: circle.radiusKm,
  };
}

/** The box, checked: south not above north; west may be east of east (the box crosses the antimeridian). */
export function checkBox(box: GeoBoxInput, field: string): GeoBoxInput {
  const checked = {
    south: coordinate(box.south, `${field}.south`, 90)!,
    north: coordinate(box.north, `${field}.north`, 90)!,
    west: coordinate(box.west, `${field}.west`, 180)!,
    east: coordinate(box.east, `${field}.east`, 180)!,
  };
  if (checked.south > checked.north) throw badUserInput(`${field}.south must not be north of ${field}.north`, `${field}.south`);
  return checked;
}
