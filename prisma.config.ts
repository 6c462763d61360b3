import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma's native engines cannot be downloaded on these machines. `prisma generate` only needs the CLI to
// believe a schema engine exists, so it points at a stub (never executed by generate); migrations run through
// Prisma's WebAssembly schema engine instead (src/database/migrations.ts). This must be set here: .npmrc does not work.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'prisma', 'engine-disabled.sh');
// The telemetry ping is the only network access `prisma generate` would make.
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
});
