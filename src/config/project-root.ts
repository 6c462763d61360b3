import { resolve } from 'node:path';

/** The checkout's root, the same from src/config (ts) and dist/config (build). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
