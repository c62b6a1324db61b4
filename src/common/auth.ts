import { createHash, timingSafeEqual } from "node:crypto";
import { GraphQLError } from "graphql";
import { ErrorCode } from "./errors";

/** Who is asking: reads are public, writes need the configured bearer token. */
export class Auth {
  private constructor(
    private readonly tokenConfigured: boolean,
    readonly canWrite: boolean,
    /** For a request whose token authenticates: a stable name for that token (a hash of it), whatever the header's spelling. */
    readonly tokenId: string | null = null,
  ) {}

  /** Checks an `Authorization` header against the configured token, in constant time. */
  static fromHeader(header: string | undefined, apiToken: string | null): Auth {
    if (!apiToken) return new Auth(false, false);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    // Hashing first gives both sides the same length, which timingSafeEqual needs.
    const digest = (text: string) => createHash("sha256").update(text).digest();
    const ok = match !== null && timingSafeEqual(digest(match[1]), digest(apiToken));
    return new Auth(true, ok, ok ? digest(match[1]).toString("hex").slice(0, 32) : null);
  }

  /** Throws UNAUTHENTICATED unless this request may write. */
  assertCanWrite(): void {
    if (this.canWrite) return;
    throw new GraphQLError(
      this.tokenConfigured
        ? "Writes need the header `Authorization: Bearer <API_TOKEN>` with the server's token"
        : "Writes are disabled: start the server with API_TOKEN set, then send `Authorization: Bearer <API_TOKEN>`",
      { extensions: { code: ErrorCode.UNAUTHENTICATED } },
    );
  }
}
