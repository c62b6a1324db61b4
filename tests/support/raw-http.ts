import http from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

/** A response as it came over the wire: the body still encoded, as the client received it. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes on the wire (compressed when `content-encoding` says so). */
  wire: Buffer;
  /** The body decoded. */
  body: Buffer;
}

/**
 * An HTTP request that keeps the body as sent: fetch() decompresses silently, so it cannot say
 * how many bytes travelled.
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // A connection of its own: a kept-alive one that the server closes after 5 idle seconds can be
    // picked up again just as it closes (ECONNRESET).
    const request = http.request(url, { method: options.method ?? "GET", headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const wire = Buffer.concat(chunks);
        const encoding = response.headers["content-encoding"];
        const body = encoding === "br" ? brotliDecompressSync(wire) : encoding === "gzip" ? gunzipSync(wire) : wire;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, wire, body });
      });
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

/** POSTs a GraphQL request and keeps the response as sent. */
export function rawGraphQL(base: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
}
