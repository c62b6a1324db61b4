import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI downloads a native schema engine for generate/validate unless told where one is.
// Offline it cannot, so point it at a stub; `npm run db:migrate` uses the WASM engine.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "scripts", "no-schema-engine.sh");

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
});
