#!/bin/sh
# Stand-in for Prisma's native schema engine, which the CLI cannot download offline.
# It exits 1 so that a CLI command needing the engine fails loudly instead of reporting
# success; migrations go through scripts/db.ts (the engine's WASM build) instead.
echo "The native Prisma schema engine is not available: use npm run db:migrate / db:migration." >&2
exit 1
