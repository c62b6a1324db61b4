import { PGlite } from "@electric-sql/pglite";
import { cube } from "@electric-sql/pglite/contrib/cube";
import { earthdistance } from "@electric-sql/pglite/contrib/earthdistance";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";
import { pgliteMigrationAdapter, pgMigrationAdapter, type MigrationAdapterFactory } from "./migrations";

/** Connections per database: on 2 cores, what the benchmark found best (BENCHMARKS.md, p99). */
export const DEFAULT_POOL_SIZE = 10;

/** The Prisma client the services query through (the generated client, with query events on). */
export type DbClient = PrismaClient<"query">;

/** Where the data lives: the embedded PGlite folder, or a Postgres server. */
export type DatabaseConfig =
  | { kind: "embedded"; dataDir: string }
  | {
      kind: "server";
      url: string;
      /** Streaming replicas of `url` that query operations read from (DATABASE_REPLICA_URLS). */
      replicaUrls?: string[];
      /** Connections to each database (DATABASE_POOL_SIZE; DEFAULT_POOL_SIZE). */
      poolSize?: number;
    };

/** An open database: the Prisma client the services use, and what the process needs around it. */
export interface Database {
  readonly kind: DatabaseConfig["kind"];
  readonly prisma: DbClient;
  /** Adapter factory for the migration engine, bound to the same database. */
  readonly migrationAdapter: MigrationAdapterFactory;
  /**
   * Clients over the read replicas (DATABASE_REPLICA_URLS), empty without: query operations read
   * from one of them (src/http/read-routing.plugin.ts), everything else from `prisma`, the primary.
   */
  readonly replicas: readonly DbClient[];
  /** SQL statements sent since the database was opened, to the primary and the replicas: the N+1 tests and the benchmark read it. */
  readonly statements: { count: number };
  /** Of those, the statements sent to the replicas. */
  readonly replicaStatements: { count: number };
  ping(): Promise<void>;
  /** Re-reads type definitions after migrations created new types in this process. */
  refreshTypes(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Use this PGlite instance instead of opening the configured folder; its owner closes it (tests). */
  pglite?: PGlite;
  /** Server only: Postgres cancels any statement that runs longer (0: no limit). */
  statementTimeoutMs?: number;
}

/** The extensions the migrations use; PGlite has to load them when it starts. */
export const pgliteExtensions = { pg_trgm, cube, earthdistance };

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  if (config.kind === "embedded") {
    const owned = !options.pglite;
    const pglite = options.pglite ?? (await PGlite.create({ dataDir: config.dataDir, extensions: pgliteExtensions }));
    const adapter = new PrismaPGlite(pglite);
    const db = wrap("embedded", adapter, pgliteMigrationAdapter(pglite), async () => {
      if (owned && !pglite.closed) await pglite.close();
    });
    // PGlite serialises array parameters by the array types it knew when it started: without
    // this, an enum array created by a migration just now goes out as a malformed literal.
    return { ...db, refreshTypes: () => pglite.refreshArrayTypes() };
  }
  const pool = (connectionString: string) =>
    new PrismaPg({
      connectionString,
      max: config.poolSize ?? DEFAULT_POOL_SIZE,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
  return wrap("server", pool(config.url), pgMigrationAdapter(config.url), async () => undefined, (config.replicaUrls ?? []).map(pool));
}

function wrap(
  kind: DatabaseConfig["kind"],
  adapter: PrismaPg | PrismaPGlite,
  migrationAdapter: MigrationAdapterFactory,
  closeDriver: () => Promise<void>,
  replicaAdapters: readonly PrismaPg[] = [],
): Database {
  const statements = { count: 0 };
  const replicaStatements = { count: 0 };
  const client = (driver: PrismaPg | PrismaPGlite, ...counters: Array<{ count: number }>) => {
    const counted = new PrismaClient({ adapter: driver, log: [{ emit: "event", level: "query" }] });
    counted.$on("query", () => {
      for (const counter of counters) counter.count += 1;
    });
    return counted;
  };
  const prisma = client(adapter, statements);
  const replicas = replicaAdapters.map((replica) => client(replica, statements, replicaStatements));
  return {
    kind,
    prisma,
    replicas,
    migrationAdapter,
    statements,
    replicaStatements,
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    async refreshTypes() {},
    async close() {
      await Promise.all([prisma, ...replicas].map((each) => each.$disconnect()));
      await closeDriver();
    },
  };
}
