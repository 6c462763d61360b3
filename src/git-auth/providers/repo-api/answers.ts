import { ProviderUnavailableError } from '../provider-errors';

/** Readers of provider answers: a shape other than the documented one is the provider answering nonsense (502). */

/** The answer as a list: the JSON array itself, or the array under `key` (Bitbucket `values`, GitHub `tree`). */
export function listOf(json: unknown, key?: string): unknown[] {
  const value = key === undefined ? json : field(json, key);
  if (!Array.isArray(value))
    throw new ProviderUnavailableError('answered a list in an unknown shape');
  return value as unknown[];
}

/** The value at `path` (object keys), or undefined. */
export function field(source: unknown, ...path: string[]): unknown {
  let value: unknown = source;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A string (or a number, as a string: ids) at `path`; absent is the provider answering nonsense. */
export function text(source: unknown, ...path: string[]): string {
  const value = field(source, ...path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ProviderUnavailableError(`answered without ${path.join('.')}`);
}

/** A string at `path`, or undefined (also for an empty string). */
export function optionalText(source: unknown, ...path: string[]): string | undefined {
  const value = field(source, ...path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Decoded base64 content (providers break lines in it). */
export function base64Content(source: unknown, ...path: string[]): Buffer {
  return Buffer.from(text(source, ...path).replace(/\s+/g, ''), 'base64');
}

/** A path segment or `/`-separated path for a URL: each segment percent-encoded. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The distinct values, first occurrence first. */
export function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
