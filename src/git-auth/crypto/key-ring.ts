/** AES-256 keys by id; the first one seals, every one unseals (rotation without downtime). */
export interface KeyRing {
  readonly current: { readonly id: string; readonly key: Buffer };
  byId(id: string): Buffer | undefined;
  readonly ids: readonly string[];
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses `id:base64key[,id:base64key…]`. Throws with a message that never contains key material.
 * @param source names the variable or file in error messages
 */
export function parseKeyRing(spec: string, source: string): KeyRing {
  const entries = spec
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
  if (entries.length === 0)
    throw new Error(`${source}: no key given (expected id:base64key[,id:base64key…])`);
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(id)) {
      throw new Error(
        `${source}: entry ${index + 1} needs an id of 1-64 letters, digits, ".", "_" or "-" before ":"`,
      );
    }
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== 32) {
      throw new Error(
        `${source}: key "${id}" must be 32 bytes in base64 (e.g. openssl rand -base64 32)`,
      );
    }
    if (keys.has(id)) throw new Error(`${source}: key id "${id}" appears twice`);
    keys.set(id, key);
  }
  const [firstId, firstKey] = [...keys][0];
  return {
    current: { id: firstId, key: firstKey },
    byId: (id) => keys.get(id),
    ids: [...keys.keys()],
  };
}
