import { ecKeyPair, rsaKeyPair, signJwt, unsecuredJwt } from '../../../../test/support/jwt';
import { publicJwtKey, secretJwtKey } from './jwt-key';
import { type JwtSettings, JwtVerifier } from './jwt-verifier';

const PROJECT = '0123456789abcdef0123456789abcdef';
const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const rsa = rsaKeyPair();
const ec = ecKeyPair();

function verifier(settings: Partial<JwtSettings> = {}): JwtVerifier {
  return new JwtVerifier({
    key: publicJwtKey(rsa.publicPem),
    projectClaim: 'project_id',
    ...settings,
  });
}

describe('JwtVerifier', () => {
  it('accepts an RS256 token and returns its subject and project', async () => {
    const token = await signJwt(
      { sub: 'alice', project_id: PROJECT },
      { alg: 'RS256', key: rsa.privateKey },
    );
    await expect(verifier().verify(token)).resolves.toEqual({
      ok: true,
      subject: 'alice',
      projectIds: [PROJECT],
    });
  });

  it('accepts an ES256 token with an ES256 key', async () => {
    const token = await signJwt({ project_id: PROJECT }, { alg: 'ES256', key: ec.privateKey });
    const result = await verifier({ key: publicJwtKey(ec.publicPem) }).verify(token);
    expect(result).toMatchObject({ ok: true, projectIds: [PROJECT] });
  });

  it('accepts an HS256 token with the shared secret', async () => {
    const key = secretJwtKey(SECRET);
    const token = await signJwt({ project_id: PROJECT }, { alg: 'HS256', key: key.key });
    await expect(verifier({ key }).verify(token)).resolves.toMatchObject({ ok: true });
  });

  it('reads the project claim as a string or an array of strings, under the configured name', async () => {
    const token = await signJwt({ projects: ['p1', 'p2'] }, { alg: 'RS256', key: rsa.privateKey });
    await expect(verifier({ projectClaim: 'projects' }).verify(token)).resolves.toMatchObject({
      ok: true,
      projectIds: ['p1', 'p2'],
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['missing', {}],
    ['a number', { project_id: 42 }],
    ['an array with a number', { project_id: [PROJECT, 42] }],
    ['empty', { project_id: '' }],
  ])('refuses a token whose project claim is %s', async (_case, claims) => {
    const token = await signJwt(claims, { alg: 'RS256', key: rsa.privateKey });
    await expect(verifier().verify(token)).resolves.toEqual({
      ok: false,
      reason: 'project_claim_missing',
    });
  });

  describe('refuses', () => {
    const claims = { project_id: PROJECT };

    it('an expired token', async () => {
      const token = await signJwt(claims, { alg: 'RS256', key: rsa.privateKey, expiresIn: -120 });
      await expect(verifier().verify(token)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JWT_EXPIRED',
      });
    });

    it('but tolerates a little clock skew', async () => {
      const token = await signJwt(claims, { alg: 'RS256', key: rsa.privateKey, expiresIn: -10 });
      await expect(verifier().verify(token)).resolves.toMatchObject({ ok: true });
    });

    it('a token without an expiry', async () => {
      const token = await signJwt(claims, { alg: 'RS256', key: rsa.privateKey, expiresIn: null });
      await expect(verifier().verify(token)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED:exp',
      });
    });

    it('a token signed by another key', async () => {
      const token = await signJwt(claims, { alg: 'RS256', key: rsaKeyPair().privateKey });
      await expect(verifier().verify(token)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });

    it('alg none', async () => {
      await expect(verifier().verify(unsecuredJwt(claims))).resolves.toMatchObject({ ok: false });
    });

    it('HS256 keyed with the public key PEM (algorithm confusion)', async () => {
      const key = new TextEncoder().encode(rsa.publicPem);
      const token = await signJwt(claims, { alg: 'HS256', key });
      await expect(verifier().verify(token)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      });
    });

    it('another algorithm of the same key type (PS256 with the RSA key)', async () => {
      const token = await signJwt(claims, { alg: 'PS256', key: rsa.privateKey });
      await expect(verifier().verify(token)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      });
    });

    it('something that is not a JWT', async () => {
      await expect(
        verifier().verify('MIIEXAYJKoZIhvcNAQcCoIIETTCCBEkCAQExDTALBglghkgBZQMEAgEw'),
      ).resolves.toEqual({
        ok: false,
        reason: 'ERR_JWS_INVALID',
      });
    });

    it('a token from another issuer or for another audience, when they are configured', async () => {
      const strict = verifier({ issuer: 'https://iam.example.com', audience: 'git-auth' });
      const good = await signJwt(
        { ...claims, iss: 'https://iam.example.com', aud: 'git-auth' },
        { alg: 'RS256', key: rsa.privateKey },
      );
      await expect(strict.verify(good)).resolves.toMatchObject({ ok: true });
      const otherIssuer = await signJwt(
        { ...claims, iss: 'https://evil.example.com', aud: 'git-auth' },
        { alg: 'RS256', key: rsa.privateKey },
      );
      await expect(strict.verify(otherIssuer)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED:iss',
      });
      const otherAudience = await signJwt(
        { ...claims, iss: 'https://iam.example.com', aud: 'other' },
        { alg: 'RS256', key: rsa.privateKey },
      );
      await expect(strict.verify(otherAudience)).resolves.toEqual({
        ok: false,
        reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED:aud',
      });
    });
  });
});
