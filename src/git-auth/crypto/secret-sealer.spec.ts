import { randomBytes } from 'node:crypto';
import { messageOf } from '../../../test/support/thrown';
import { parseKeyRing } from './key-ring';
import { SecretSealer, UnsealError } from './secret-sealer';

const key = () => randomBytes(32).toString('base64');

describe('parseKeyRing', () => {
  it('takes the first key to seal and all to unseal', () => {
    const [a, b] = [key(), key()];
    const ring = parseKeyRing(`new:${a}, old:${b}`, 'TOKEN_ENCRYPTION_KEYS');
    expect(ring.current.id).toBe('new');
    expect(ring.ids).toEqual(['new', 'old']);
    expect(ring.byId('old')?.toString('base64')).toBe(b);
  });

  it.each([
    ['empty', '', /no key given/],
    ['no id', key(), /needs an id/],
    ['short key', `k1:${randomBytes(16).toString('base64')}`, /must be 32 bytes/],
    ['not base64', 'k1:not*base64*at*all*not*base64*at*all*xx', /must be 32 bytes/],
    ['duplicate id', `k1:${key()},k1:${key()}`, /appears twice/],
  ])('refuses %s, naming the variable and never the key', (_case, spec, message) => {
    const text = messageOf(() => parseKeyRing(spec, 'TOKEN_ENCRYPTION_KEYS'));
    expect(text).toMatch(message);
    expect(text).toMatch(/^TOKEN_ENCRYPTION_KEYS: /);
    const secretPart = spec.split(',')[0].split(':')[1];
    if (secretPart) expect(text).not.toContain(secretPart);
  });
});

describe('SecretSealer (AES-256-GCM)', () => {
  const oldKey = key();
  const newKey = key();
  const before = new SecretSealer(parseKeyRing(`k1:${oldKey}`, 'test'));
  const afterRotation = new SecretSealer(parseKeyRing(`k2:${newKey},k1:${oldKey}`, 'test'));

  it('round-trips, with a fresh IV every time and no plaintext in the output', () => {
    const a = before.seal('gho_secret_token', 'ctx');
    const b = before.seal('gho_secret_token', 'ctx');
    expect(a.keyId).toBe('k1');
    expect(a.sealed.equals(b.sealed)).toBe(false);
    expect(a.sealed.includes(Buffer.from('gho_secret_token'))).toBe(false);
    expect(before.unseal(a.keyId, a.sealed, 'ctx')).toBe('gho_secret_token');
  });

  it('opens values sealed with an older key after rotation and seals new ones with the newest', () => {
    const old = before.seal('refresh-token', 'ctx');
    expect(afterRotation.unseal(old.keyId, old.sealed, 'ctx')).toBe('refresh-token');
    const fresh = afterRotation.seal('refresh-token', 'ctx');
    expect(fresh.keyId).toBe('k2');
    expect(() => before.unseal(fresh.keyId, fresh.sealed, 'ctx')).toThrow(/key "k2" is not in/);
  });

  it('refuses another context, a flipped bit and a wrong key', () => {
    const s = before.seal('token', 'authorization/p/name/secret');
    expect(() => before.unseal('k1', s.sealed, 'authorization/p/other/secret')).toThrow(
      UnsealError,
    );
    const tampered = Buffer.from(s.sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => before.unseal('k1', tampered, 'authorization/p/name/secret')).toThrow(UnsealError);
    const impostor = new SecretSealer(parseKeyRing(`k1:${key()}`, 'test'));
    expect(() => impostor.unseal('k1', s.sealed, 'authorization/p/name/secret')).toThrow(
      /authentication failed/,
    );
    expect(() => before.unseal('k1', Buffer.from([9, 9, 9]), 'x')).toThrow(/unknown format/);
  });
});
