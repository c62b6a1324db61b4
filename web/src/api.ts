/** A GraphQL error the API answered with, or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    /** The input field at fault, when the API named one ("article.text", "input.events[0].date"). */
    readonly field?: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

/**
 * Runs one operation against the public API (POST /graphql, JSON), the way any client would;
 * with `token`, as a write (`Authorization: Bearer <token>`), the token going with this request only.
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, options: { token?: string } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("The timeline service cannot be reached. Check your connection and try again.");
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`The timeline service answered ${response.status} without a GraphQL result.`);
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code, error.extensions?.field);
  if (!body.data) throw new ApiError("The timeline service answered without data.");
  return body.data;
}
