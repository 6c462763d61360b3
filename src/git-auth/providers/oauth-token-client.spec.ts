import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import { type GrantRefusalTest, type OAuthError, parseTokenResponse } from './oauth-token-client';

const APP = { webUrl: 'https://provider.example', clientId: 'client-1' };
const ENDPOINT = 'https://provider.example/oauth/token';
const ISSUED_AT = Date.parse('2026-11-28T12:00:00Z');

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const parse = (response: Response, isGrantRefusal: GrantRefusalTest = () => true) =>
  parseTokenResponse(APP, ENDPOINT, response, ISSUED_AT, isGrantRefusal);

describe('parseTokenResponse', () => {
  describe('success bodies', () => {
    it('GitHub OAuth App: a token without expiry or refresh token', async () => {
      const tokens = await parse(
        json(200, { access_token: 'gho_abc', token_type: 'bearer', scope: 'read:user,repo' }),
      );
      expect(tokens).toEqual({ accessToken: 'gho_abc', scope: 'read:user,repo' });
    });

    it('GitHub App user token: expiry and refresh token expiry, absolute', async () => {
      const tokens = await parse(
        json(200, {
          access_token: 'ghu_abc',
          expires_in: 28800,
          refresh_token: 'ghr_def',
          refresh_token_expires_in: 15811200,
          token_type: 'bearer',
          scope: '',
        }),
      );
      expect(tokens).toMatchObject({
        accessToken: 'ghu_abc',
        refreshToken: 'ghr_def',
        expiresAt: new Date(ISSUED_AT + 28800 * 1000),
        refreshTokenExpiresAt: new Date(ISSUED_AT + 15811200 * 1000),
      });
    });

    it('GitLab: token_type "Bearer", created_at in seconds', async () => {
      const tokens = await parse(
        json(200, {
          access_token: 'gl-at',
          token_type: 'Bearer',
          expires_in: 7200,
          refresh_token: 'gl-rt',
          scope: 'read_user read_repository',
          created_at: 1764331200,
        }),
      );
      expect(tokens).toMatchObject({
        accessToken: 'gl-at',
        refreshToken: 'gl-rt',
        expiresAt: new Date(ISSUED_AT + 7_200_000),
      });
    });

    it('Bitbucket: its own "state" field is not an OAuth error', async () => {
      const tokens = await parse(
        json(200, {
          access_token: 'bb-at=',
          scope: 'account repository',
          expires_in: 7200,
          refresh_token: 'bb-rt',
          token_type: 'bearer',
          state: 'authorization_code',
        }),
      );
      expect(tokens.accessToken).toBe('bb-at=');
    });
  });

  describe('OAuth error answers: the provider decides whether they mean a dead grant', () => {
    it.each([
      [
        'GitHub 200 with error',
        () => json(200, { error: 'bad_verification_code', error_description: 'x' }),
        { error: 'bad_verification_code', description: 'x' },
      ],
      [
        'GitLab 400 invalid_grant',
        () => json(400, { error: 'invalid_grant', error_description: 'expired' }),
        { error: 'invalid_grant', description: 'expired' },
      ],
      [
        'GitLab 401 invalid_client with WWW-Authenticate',
        () =>
          json(
            401,
            { error: 'invalid_client' },
            { 'www-authenticate': 'Bearer realm="Doorkeeper", error="invalid_client"' },
          ),
        { error: 'invalid_client' },
      ],
      [
        'Gitee 401 invalid_client (description in Chinese)',
        () =>
          json(401, { error: 'invalid_client', error_description: '由于未知、不支持的认证方式' }),
        { error: 'invalid_client', description: '由于未知、不支持的认证方式' },
      ],
      [
        'Bitbucket 400 unauthorized_client',
        () =>
          json(400, {
            error: 'unauthorized_client',
            error_description: 'Invalid OAuth client credentials',
          }),
        { error: 'unauthorized_client', description: 'Invalid OAuth client credentials' },
      ],
      [
        '400 invalid_request',
        () => json(400, { error: 'invalid_request' }),
        { error: 'invalid_request' },
      ],
    ])('%s', async (_case, response, expected) => {
      const asked: OAuthError[] = [];
      const refused = await parse(response(), (e) => asked.push(e) > 0).catch((e: unknown) => e);
      expect(asked).toEqual([expected]);
      expect(refused).toBeInstanceOf(ProviderRejectedError);
      expect((refused as ProviderRejectedError).reason).toBe(expected.error);

      const failed = await parse(response(), () => false).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(ProviderUnavailableError);
      expect((failed as ProviderUnavailableError).detail).toContain(expected.error);
    });
  });

  describe('failures', () => {
    it.each([
      [
        'a 502 HTML page',
        new Response('<html>502 Bad Gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
      ],
      ['a 503 without body', new Response(null, { status: 503 })],
      ['a 503 temporarily_unavailable', json(503, { error: 'temporarily_unavailable' })],
      ['a 200 without access_token', json(200, { token_type: 'bearer' })],
      [
        'a redirect',
        new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }),
      ],
      [
        'a form-encoded body (Accept ignored)',
        new Response('access_token=gho_abc&token_type=bearer', {
          status: 200,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ],
    ])('%s → unavailable', async (_case, response) => {
      await expect(parse(response)).rejects.toBeInstanceOf(ProviderUnavailableError);
    });
  });
});
