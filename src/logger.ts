import pino, { type Logger } from "pino";

/** Structured JSON logs on stdout; `LOG_LEVEL=silent` in tests. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "timeline" },
    redact: ["req.headers.authorization", "req.headers.cookie"],
  });
}
