/** The response body as a client sees it; tests read it as loosely typed JSON. */
export const json = (response: Response): Promise<any> => response.json();

/** POSTs a GraphQL request (an object, or a raw string body) to a listening test server. */
export function postGraphQL(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
