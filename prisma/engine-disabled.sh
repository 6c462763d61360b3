#!/bin/sh
# Placeholder for Prisma's native schema engine, which cannot be downloaded here.
# prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY at this file so `prisma generate` works offline.
echo "schema engine disabled (migrations run through @prisma/schema-engine-wasm, see src/database/migrations.ts)" >&2
exit 1
