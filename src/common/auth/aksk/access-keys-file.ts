import { readFileSync } from 'node:fs';
import { PROJECT_ID_PATTERN } from '../../project-id';
import { ACCESS_KEY_PATTERN } from './sdk-authorization';

/** One caller's key pair and the projects it may act on. */
export interface AccessKey {
  readonly ak: string;
  readonly sk: string;
  readonly projectIds: readonly string[];
}

/** Short secret keys are guessable offline from one signed request; Huawei Cloud's own SKs are 40 characters. */
const MIN_SECRET_KEY_LENGTH = 16;

const ENTRY_FIELDS = ['ak', 'sk', 'project_ids'];

/** Why the file was refused; the text never contains a secret key, so it can go into a start-up error. */
export class AccessKeysFileError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AccessKeysFileError';
  }
}

/** Reads `[{"ak", "sk", "project_ids": [...]}]` and returns the keys by AK. */
export function loadAccessKeysFile(path: string): ReadonlyMap<string, AccessKey> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new AccessKeysFileError(`cannot be read (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be a secret key.
    throw new AccessKeysFileError('is not valid JSON');
  }
  return parseAccessKeys(json);
}

export function parseAccessKeys(json: unknown): ReadonlyMap<string, AccessKey> {
  if (!Array.isArray(json) || json.length === 0) {
    throw new AccessKeysFileError(
      'must be a non-empty JSON array of {"ak", "sk", "project_ids"} objects',
    );
  }
  const keys = new Map<string, AccessKey>();
  json.forEach((entry: unknown, index) => {
    const key = parseEntry(entry, `entry ${index + 1}`);
    if (keys.has(key.ak)) throw new AccessKeysFileError(`entry ${index + 1}: duplicate ak`);
    keys.set(key.ak, key);
  });
  return keys;
}

function parseEntry(entry: unknown, where: string): AccessKey {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new AccessKeysFileError(`${where}: must be an object with "ak", "sk" and "project_ids"`);
  }
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !ENTRY_FIELDS.includes(name));
  if (unknown.length > 0) {
    throw new AccessKeysFileError(`${where}: unknown field(s) ${unknown.join(', ')}`);
  }
  const { ak, sk, project_ids: projectIds } = fields;
  if (typeof ak !== 'string' || !ACCESS_KEY_PATTERN.test(ak)) {
    throw new AccessKeysFileError(
      `${where}: "ak" must be 1-256 characters of letters, digits or . _ ~ + / = -`,
    );
  }
  if (typeof sk !== 'string' || sk.length < MIN_SECRET_KEY_LENGTH) {
    throw new AccessKeysFileError(
      `${where} (ak ${ak}): "sk" must be a string of at least ${MIN_SECRET_KEY_LENGTH} characters`,
    );
  }
  if (
    !Array.isArray(projectIds) ||
    projectIds.length === 0 ||
    !projectIds.every((p): p is string => typeof p === 'string' && PROJECT_ID_PATTERN.test(p))
  ) {
    throw new AccessKeysFileError(
      `${where} (ak ${ak}): "project_ids" must be a non-empty array of project ids`,
    );
  }
  return { ak, sk, projectIds: [...new Set(projectIds)] };
}
