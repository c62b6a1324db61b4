/** A GraphQL error the API answered with, or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Runs one operation against the public API (POST /graphql, JSON), the way any client would. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
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
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!body.data) throw new ApiError("The timeline service answered without data.");
  return body.data;
}
