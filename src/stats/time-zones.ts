import type { DbClient } from "../db/database";
import { badUserInput } from "../common/errors";

/**
 * The IANA time zone names the database knows (pg_timezone_names), read once per server on
 * first need: the view reads the whole zone database on every query (60-200 ms), and its
 * contents change only when Postgres is upgraded. UTC needs no look-up.
 */
export class TimeZones {
  private names: Promise<Set<string>> | undefined;

  constructor(private readonly prisma: DbClient) {}

  /** The name if the database knows it (exactly as spelled there); otherwise BAD_USER_INPUT. */
  async check(name: string, field: string): Promise<string> {
    if (name === "UTC") return name;
    if (!(await this.load()).has(name)) {
      throw badUserInput(
        `${field}: unknown time zone "${name.slice(0, 60)}"; use an IANA name such as "Europe/Paris" or "UTC"`,
        field,
      );
    }
    return name;
  }

  private load(): Promise<Set<string>> {
    this.names ??= this.prisma.$queryRaw<Array<{ name: string }>>`SELECT name FROM pg_timezone_names`.then(
      (rows) => new Set(rows.map((row) => row.name)),
      (error: unknown) => {
        this.names = undefined; // let the next request try again
        throw error;
      },
    );
    return this.names;
  }
}
