import path from "node:path";

/** Where the data lives: the embedded PGlite folder, or a Postgres server. */
export type DatabaseConfig = { kind: "embedded"; dataDir: string } | { kind: "server"; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: string;
  production: boolean;
  /** The bearer token writes need; unset refuses every write. */
  apiToken: string | null;
}

/** Reads the environment once, failing fast with a message that names the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    database: databaseConfig(env),
    logLevel: oneOf(env, "LOG_LEVEL", "info", ["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    production: env.NODE_ENV === "production",
    apiToken: apiToken(env),
  };
}

export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// connection string");
    }
    return { kind: "server", url };
  }
  return { kind: "embedded", dataDir: path.resolve(env.PGLITE_DIR || path.join(".data", "pglite")) };
}

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
