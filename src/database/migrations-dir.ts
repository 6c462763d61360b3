import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';

/** Prisma's standard layout; the Docker image copies this folder next to dist/. */
export const MIGRATIONS_DIR = resolve(PROJECT_ROOT, 'prisma', 'migrations');
