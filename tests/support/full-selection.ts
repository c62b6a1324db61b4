import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType, isRequiredArgument, type GraphQLField, type GraphQLObjectType, type GraphQLOutputType } from "graphql";
import { buildTimelineSchema } from "../../src/schema";

const isPaged = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => arg.name === "first");
const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/**
 * Every field of a type that can be asked for without arguments, and down to `depth` levels of
 * the objects it refers to. Paged lists are left out (each is a page of its own), and so are
 * lists of events below the top (an article's events, an event's causes' causes): the relations
 * of the event itself, not of its neighbours.
 */
function selectionOf(type: GraphQLObjectType, depth: number, top: boolean): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some(isRequiredArgument) || isPaged(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 0 && (top || !(named.name === "Event" && isList(field.type)))) {
      const inner = selectionOf(named, named.name === "Event" ? 0 : depth - 1, false);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(" ");
}

/**
 * A selection of every field of `Event` and of its first-level relations (its location with that
 * location's parent and children, participants, sources, causes, consequences, and any list or
 * object added since), as the largest page a client may reasonably ask for. Built from the served
 * schema, so fields added later are asked for too.
 */
export async function fullEventSelection(): Promise<string> {
  const event = (await buildTimelineSchema()).getType("Event") as GraphQLObjectType;
  return selectionOf(event, 2, true);
}
