// Imported first by scripts/bench/main.ts: the server is measured as it runs in production (the
// Dockerfile sets NODE_ENV=production), where graphql-js skips its development-only checks.
// It has to run before graphql is loaded, which reads NODE_ENV once.
process.env.NODE_ENV ??= "production";
