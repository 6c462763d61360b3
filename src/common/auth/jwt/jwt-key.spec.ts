import { ecKeyPair, ed25519KeyPair, rsaKeyPair } from '../../../../test/support/jwt';
import { JwtKeyError, publicJwtKey, secretJwtKey } from './jwt-key';
import { messageOf } from '../../../../test/support/thrown';

describe('publicJwtKey', () => {
  it('pins an RSA key to RS256 and a P-256 key to ES256', () => {
    expect(publicJwtKey(rsaKeyPair().publicPem).algorithm).toBe('RS256');
    expect(publicJwtKey(ecKeyPair().publicPem).algorithm).toBe('ES256');
  });

  it('accepts a PEM written on one line with \\n escapes', () => {
    const oneLine = ecKeyPair().publicPem.trim().replace(/\n/g, '\\n');
    expect(publicJwtKey(oneLine).algorithm).toBe('ES256');
  });

  it.each<[string, () => string, RegExp]>([
    [
      'a private key',
      () => rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      /not a private key/,
    ],
    ['garbage', () => 'not a key', /must be a PEM public key/],
    [
      'a broken PEM',
      () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      /not a readable/,
    ],
    ['a 1024-bit RSA key', () => rsaKeyPair(1024).publicPem, /at least 2048 bits/],
    ['a P-384 key', () => ecKeyPair('P-384').publicPem, /EC P-256/],
    ['an Ed25519 key', () => ed25519KeyPair().publicPem, /RSA key .* or an EC P-256 key/],
  ])('refuses %s', (_case, pem, message) => {
    const text = pem();
    expect(() => publicJwtKey(text)).toThrow(JwtKeyError);
    expect(() => publicJwtKey(text)).toThrow(message);
  });

  it('never echoes the key in its error', () => {
    const pem = rsaKeyPair(1024).publicPem;
    const message = messageOf(() => publicJwtKey(pem));
    expect(message).toMatch(/2048 bits/);
    expect(message).not.toContain('MII');
  });
});

describe('secretJwtKey', () => {
  it('takes a secret of 32 bytes or more for HS256', () => {
    expect(secretJwtKey('x'.repeat(32))).toMatchObject({ algorithm: 'HS256' });
  });

  it('counts bytes, not characters', () => {
    expect(() => secretJwtKey('é'.repeat(15))).toThrow('at least 32 bytes');
    expect(secretJwtKey('é'.repeat(16)).algorithm).toBe('HS256');
  });

  it('refuses a short secret', () => {
    expect(() => secretJwtKey('x'.repeat(31))).toThrow(JwtKeyError);
  });
});
