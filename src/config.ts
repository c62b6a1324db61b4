import path from "node:path";
import proxyaddr from "proxy-addr";
import { DEFAULT_POOL_SIZE, type DatabaseConfig } from "./db/database";

export type { DatabaseConfig };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: string;
  production: boolean;
  /** The bearer token writes need; unset refuses every write. */
  apiToken: string | null;
  /** How long a client that wrote reads from the primary rather than a replica (READ_AFTER_WRITE_MS). */
  readAfterWriteMs: number;
  /** Memory for the exact response cache of reads, in bytes (RESPONSE_CACHE_MB; 0 turns it off). */
  responseCacheBytes: number;
  security: SecurityConfig;
  dates: DateConfig;
}

/** What one request may ask of the service; see the README's Security section. */
export interface SecurityConfig {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
  maxTokens: number;
  bodyLimitBytes: number;
  introspection: boolean;
  /** Origins allowed to call from a browser on another origin; empty means same-origin only. */
  corsOrigins: string[];
  rateLimit: { enabled: boolean; points: number; windowMs: number };
  statementTimeoutMs: number;
  requestTimeoutMs: number;
  /**
   * Which proxies in front of the service may name the client in X-Forwarded-For (Express's
   * "trust proxy": a number of hops, or addresses, CIDR ranges and the names loopback,
   * linklocal, uniquelocal); false trusts none, and the client is the connection's address.
   */
  trustProxy: false | number | string[];
  /** Live subscriptions: at most this many per socket and per client, and sockets per client address. */
  subscriptions: { perSocket: number; perClient: number; socketsPerClient: number };
}

/** When events may be dated: see DateRules in src/events/event-dates.ts. */
export interface DateConfig {
  /** How far ahead a PLANNED event may be dated, in years (PLANNED_HORIZON_YEARS). */
  plannedHorizonYears: number;
}

/** Longer than a healthy replica's lag (well under a second), short enough to spread the reads. */
export const DEFAULT_READ_AFTER_WRITE_MS = 5_000;

export const DEFAULT_SECURITY: SecurityConfig = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxCost: 50_000,
  maxTokens: 2000,
  bodyLimitBytes: 100 * 1024,
  introspection: true,
  corsOrigins: [],
  rateLimit: { enabled: false, points: 100_000, windowMs: 60_000 },
  statementTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
  trustProxy: false,
  subscriptions: { perSocket: 100, perClient: 200, socketsPerClient: 20 },
};

export const DEFAULT_DATES: DateConfig = { plannedHorizonYears: 100 };

/** Memory for the exact response cache of reads: a timeline page's answer is about 60 KB, so some 500 of them. */
export const DEFAULT_RESPONSE_CACHE_MB = 32;

/** Reads the environment once, failing fast with a message that names the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    database: databaseConfig(env),
    logLevel: oneOf(env, "LOG_LEVEL", "info", ["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    production: env.NODE_ENV === "production",
    apiToken: apiToken(env),
    readAfterWriteMs: integer(env, "READ_AFTER_WRITE_MS", DEFAULT_READ_AFTER_WRITE_MS, 0, 3_600_000),
    responseCacheBytes: integer(env, "RESPONSE_CACHE_MB", DEFAULT_RESPONSE_CACHE_MB, 0, 65_536) * 1024 * 1024,
    security: securityConfig(env),
    dates: { plannedHorizonYears: integer(env, "PLANNED_HORIZON_YEARS", DEFAULT_DATES.plannedHorizonYears, 0, 1000) },
  };
}

function securityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const d = DEFAULT_SECURITY;
  const rateLimit = oneOf(env, "RATE_LIMIT", "auto", ["auto", "on", "off"]);
  return {
    maxDepth: integer(env, "MAX_DEPTH", d.maxDepth, 1, 100),
    maxAliases: integer(env, "MAX_ALIASES", d.maxAliases, 0, 1000),
    maxDirectives: integer(env, "MAX_DIRECTIVES", d.maxDirectives, 0, 1000),
    maxCost: integer(env, "MAX_COST", d.maxCost, 1, 10_000_000),
    maxTokens: integer(env, "MAX_TOKENS", d.maxTokens, 10, 1_000_000),
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", d.bodyLimitBytes, 1024, 100 * 1024 * 1024),
    introspection: oneOf(env, "INTROSPECTION", "on", ["on", "off"]) === "on",
    corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean),
    rateLimit: {
      // Public servers get a limit by default; the embedded database is a one-person setup.
      enabled: rateLimit === "on" || (rateLimit === "auto" && Boolean(env.DATABASE_URL?.trim())),
      points: integer(env, "RATE_LIMIT_POINTS", d.rateLimit.points, 1, 100_000_000),
      windowMs: integer(env, "RATE_LIMIT_WINDOW_MS", d.rateLimit.windowMs, 1000, 86_400_000),
    },
    statementTimeoutMs: integer(env, "DB_STATEMENT_TIMEOUT_MS", d.statementTimeoutMs, 0, 3_600_000),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", d.requestTimeoutMs, 1000, 3_600_000),
    trustProxy: trustProxy(env),
    subscriptions: {
      perSocket: integer(env, "MAX_SUBSCRIPTIONS_PER_SOCKET", d.subscriptions.perSocket, 1, 100_000),
      perClient: integer(env, "MAX_SUBSCRIPTIONS_PER_CLIENT", d.subscriptions.perClient, 1, 1_000_000),
      socketsPerClient: integer(env, "MAX_SOCKETS_PER_CLIENT", d.subscriptions.socketsPerClient, 1, 100_000),
    },
  };
}

/**
 * TRUST_PROXY: unset, "off" or "0" trusts no proxy; a number trusts that many hops; otherwise a
 * comma-separated list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal,
 * checked here by the library Express itself compiles them with. "true" (trust every hop) is
 * refused: any client could then name itself anything.
 */
function trustProxy(env: NodeJS.ProcessEnv): SecurityConfig["trustProxy"] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === "off" || raw === "false" || raw === "0") return false;
  if (/^\d+$/.test(raw)) return integer(env, "TRUST_PROXY", 0, 1, 100);
  const entries = raw.split(",").map((entry) => entry.trim()).filter(Boolean);
  const refuse = (detail: string) =>
    new ConfigError(`TRUST_PROXY must be "off", a number of hops, or addresses, CIDR ranges and loopback/linklocal/uniquelocal separated by commas; ${detail}`);
  if (!entries.length || entries.includes("true")) throw refuse(`got "${raw}"`);
  try {
    proxyaddr.compile(entries);
  } catch (error) {
    throw refuse((error as Error).message);
  }
  return entries;
}

export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  const replicaUrls = (env.DATABASE_REPLICA_URLS ?? "").split(",").map((replica) => replica.trim()).filter(Boolean);
  if (url) {
    if (!isPostgresUrl(url)) throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// connection string");
    const bad = replicaUrls.find((replica) => !isPostgresUrl(replica));
    if (bad !== undefined) {
      throw new ConfigError("DATABASE_REPLICA_URLS must be postgres:// or postgresql:// connection strings, separated by commas");
    }
    const poolSize = integer(env, "DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 500);
    return { kind: "server", url, poolSize, ...(replicaUrls.length ? { replicaUrls } : {}) };
  }
  if (replicaUrls.length) {
    throw new ConfigError("DATABASE_REPLICA_URLS needs DATABASE_URL: replicas follow a Postgres server, not the embedded database");
  }
  return { kind: "embedded", dataDir: path.resolve(env.PGLITE_DIR || path.join(".data", "pglite")) };
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

function apiToken(env: NodeJS.ProcessEnv): string | null {
  const token = env.API_TOKEN?.trim();
  if (!token) return null;
  if (token.length < 16) throw new ConfigError("API_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 32`)");
  return token;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name];
  if (!raw) return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  return raw;
}
