import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Agent, fetch as undiciFetch } from 'undici';
import { KINDS } from '../support/providers';
import { FakeGitea } from './fake-gitea';
import { selfSignedCertificate } from '../support/tls';
import {
  createFake,
  FakeBitbucket,
  FakeGitee,
  FakeGitHub,
  FakeGitLab,
  type FakeApp,
  type FakeProvider,
} from './fake-provider';

/** Drives the fake providers directly, the way the service will, to pin down their formats and quirks. */

const UA = { 'user-agent': 'fakes-spec/1.0' };
const CALLBACK = 'https://console.example.com/servicestage/oauth?repo_type=';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  if ((res.headers.get('content-type') ?? '').includes('json') && text)
    json = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, headers: res.headers, text, json };
}

/** node:http sends no User-Agent unless told to (fetch always sends one). */
function withoutUserAgent(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: new URLSearchParams(fields), headers: { ...UA, ...headers } };
}

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

async function started<T extends FakeProvider>(fake: T): Promise<{ fake: T; app: FakeApp }> {
  await fake.start();
  const app = {
    clientId: `client-${fake.kind}`,
    clientSecret: `secret-${fake.kind}`,
    redirectUri: `${CALLBACK}${fake.kind}`,
  };
  fake.registerApp(app);
  fake.addUser('alice');
  return { fake, app };
}

/** An OAuth access token of alice, obtained through the fake's own authorize and token endpoints. */
async function oauthToken(fake: FakeProvider): Promise<string> {
  const app = { clientId: `client-${fake.kind}`, clientSecret: `secret-${fake.kind}` };
  const { verifier, challenge } = pkce();
  const authorize = new URL(fake.webUrl);
  const paths: Record<string, string> = {
    github: '/login/oauth/authorize',
    gitlab: '/oauth/authorize',
    gitee: '/oauth/authorize',
    bitbucket: '/site/oauth2/authorize',
    gitea: '/login/oauth/authorize',
  };
  const tokenPaths: Record<string, string> = {
    github: '/login/oauth/access_token',
    gitlab: '/oauth/token',
    gitee: '/oauth/token',
    bitbucket: '/site/oauth2/access_token',
    gitea: '/login/oauth/access_token',
  };
  authorize.pathname = paths[fake.kind];
  const redirect = `${CALLBACK}${fake.kind}`;
  const query = {
    client_id: app.clientId,
    redirect_uri: redirect,
    response_type: 'code',
    state: 's',
    scope: fake.kind === 'gitee' ? 'user_info' : 'read_user',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  const { code } = await fake.authorize(withQuery(authorize.href, query), 'alice');
  const fields = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirect,
    code_verifier: verifier,
  };
  const answer =
    fake.kind === 'bitbucket'
      ? await call(
          `${fake.webUrl}${tokenPaths[fake.kind]}`,
          form(fields, { authorization: basic(app.clientId, app.clientSecret) }),
        )
      : await call(
          withQuery(`${fake.webUrl}${tokenPaths[fake.kind]}`, fake.kind === 'gitee' ? fields : {}),
          form(
            { ...fields, client_id: app.clientId, client_secret: app.clientSecret },
            { accept: 'application/json' },
          ),
        );
  return String(answer.json.access_token);
}

describe('fake providers', () => {
  it('createFake builds the fake of every registered provider, and of nothing else', () => {
    for (const kind of KINDS) expect(createFake(kind).kind).toBe(kind);
    expect(createFake('github')).toBeInstanceOf(FakeGitHub);
    expect(() => createFake('devcloud')).toThrow(/No fake server for the provider "devcloud"/);
  });

  describe('git over HTTP: the user name each provider takes with each kind of secret', () => {
    const refs = (fake: FakeProvider, user: string, secret: string) =>
      call(`${fake.baseUrl}/alice/demo.git/info/refs?service=git-upload-pack`, {
        headers: { authorization: basic(user, secret) },
      }).then((a) => a.status);

    it.each([
      ['github', 'personal token', 'anyone', 200],
      ['gitlab', 'personal token', 'anyone', 200],
      ['gitlab', 'OAuth token', 'oauth2', 200],
      ['gitlab', 'OAuth token', 'alice', 401],
      ['gitee', 'personal token', 'alice', 200],
      ['gitee', 'personal token', 'oauth2', 401],
      ['gitee', 'OAuth token', 'oauth2', 200],
      ['gitea', 'personal token', 'anyone', 200],
      ['gitea', 'OAuth token', 'anyone', 200],
    ] as const)('%s: a %s with user %s → %d', async (provider, kind, user, status) => {
      const { fake } = await started(createFake(provider));
      try {
        let secret = fake.issuePersonalToken('alice');
        if (kind === 'OAuth token') {
          fake.useExpiringTokens(3600);
          secret = await oauthToken(fake);
        }
        expect(await refs(fake, user, secret)).toBe(status);
        expect(await refs(fake, user, 'not-a-token')).toBe(401);
      } finally {
        await fake.stop();
      }
    });

    it('Bitbucket: x-token-auth with an OAuth token, the user with an app password', async () => {
      const { fake } = await started(new FakeBitbucket());
      try {
        fake.addAppPassword('alice', 'app-pw');
        expect(await refs(fake, 'alice', 'app-pw')).toBe(200);
        expect(await refs(fake, 'x-token-auth', 'app-pw')).toBe(401);
        expect(await refs(fake, 'x-token-auth', await oauthToken(fake))).toBe(200);
      } finally {
        await fake.stop();
      }
    });
  });

  describe('GitHub', () => {
    let gh: FakeGitHub;
    let app: FakeApp;
    beforeAll(async () => ({ fake: gh, app } = await started(new FakeGitHub())));
    afterAll(() => gh.stop());

    function authorizeUrl(extra: Record<string, string> = {}): string {
      return withQuery(`${gh.webUrl}/login/oauth/authorize`, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        scope: 'read:user repo',
        state: 'st-1',
        ...extra,
      });
    }

    const exchange = (fields: Record<string, string>, json = false): Promise<Answer> =>
      call(
        `${gh.webUrl}/login/oauth/access_token`,
        form(
          { client_id: app.clientId, client_secret: app.clientSecret, ...fields },
          json ? { accept: 'application/json' } : {},
        ),
      );

    it('authorize → form-encoded token → user, with PKCE and rate-limit headers', async () => {
      expect(gh.apiUrl).toBe(`${gh.baseUrl}/api/v3`);
      const { verifier, challenge } = pkce();
      const url = authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' });
      const { code, state, location } = await gh.authorize(url, 'alice');
      expect(state).toBe('st-1');
      expect(code).toMatch(/^[0-9a-f]{20}$/);
      expect(location.searchParams.get('repo_type')).toBe('github');
      expect(gh.calls('authorize').at(-1)?.query.code_challenge).toBe(challenge);

      const token = await exchange({
        code,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      });
      expect(token.status).toBe(200);
      expect(token.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
      const fields = new URLSearchParams(token.text);
      expect(fields.get('access_token')).toMatch(/^gho_[A-Za-z0-9]{36}$/);
      expect(fields.get('scope')).toBe('read:user,repo');
      expect(fields.get('token_type')).toBe('bearer');
      expect(fields.has('refresh_token')).toBe(false);

      const user = await call(`${gh.apiUrl}/user`, {
        headers: { ...UA, authorization: `token ${fields.get('access_token')}` },
      });
      expect(user.status).toBe(200);
      expect(user.json).toMatchObject({
        login: 'alice',
        id: 1_000_001,
        name: 'Alice',
        html_url: `${gh.baseUrl}/alice`,
        avatar_url: `${gh.baseUrl}/avatars/u/1000001?v=4`,
      });
      expect(user.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(user.headers.get('x-oauth-scopes')).toBe('read:user, repo');
    });

    it('answers token errors as HTTP 200, form or JSON by Accept', async () => {
      const { verifier, challenge } = pkce();
      const { code } = await gh.authorize(
        authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
        'alice',
      );
      const noVerifier = await exchange({ code }, true);
      expect(noVerifier.status).toBe(200);
      expect(noVerifier.json).toMatchObject({ error: 'bad_verification_code' });
      expect(noVerifier.json.error_uri).toMatch(/^https:\/\/docs\.github\.com\//);
      const wrongVerifier = await exchange({ code, code_verifier: pkce().verifier }, true);
      expect(wrongVerifier.json.error).toBe('bad_verification_code');
      const mismatch = await exchange(
        { code, code_verifier: verifier, redirect_uri: 'https://evil.example/cb' },
        true,
      );
      expect(mismatch.json.error).toBe('redirect_uri_mismatch');
      const badSecret = await call(
        `${gh.webUrl}/login/oauth/access_token`,
        form({ client_id: app.clientId, client_secret: 'nope', code }),
      );
      expect(badSecret.status).toBe(200);
      expect(new URLSearchParams(badSecret.text).get('error')).toBe('incorrect_client_credentials');

      // Still unused after the failures; Basic credentials and a JSON body work too. Then single use.
      const ok = await call(`${gh.webUrl}/login/oauth/access_token`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: basic(app.clientId, app.clientSecret),
        },
        body: JSON.stringify({ code, code_verifier: verifier }),
      });
      expect(ok.json).toMatchObject({ token_type: 'bearer', scope: 'read:user,repo' });
      const reused = await exchange({ code, code_verifier: verifier });
      expect(new URLSearchParams(reused.text).get('error')).toBe('bad_verification_code');
    });

    it('redirects an authorize with a foreign redirect_uri back with redirect_uri_mismatch', async () => {
      await expect(
        gh.authorize(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), 'alice'),
      ).rejects.toThrow(/redirect_uri_mismatch/);
      const denied = await gh.authorize(authorizeUrl(), 'alice', { deny: true });
      expect(denied).toMatchObject({ code: '', state: 'st-1', error: 'access_denied' });
    });

    it('requires a User-Agent on the API and says "Bad credentials" for dead tokens', async () => {
      const pat = gh.issuePersonalToken('alice');
      expect(pat).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
      const noUa = await withoutUserAgent(`${gh.apiUrl}/user`, 'GET', {
        authorization: `Bearer ${pat}`,
      });
      expect(noUa.status).toBe(403);
      expect(noUa.text).toMatch(/User-Agent/);
      const ok = await call(`${gh.apiUrl}/user`, {
        headers: { ...UA, authorization: `Bearer ${pat}` },
      });
      expect(ok.status).toBe(200);
      gh.revokeToken(pat);
      const revoked = await call(`${gh.apiUrl}/user`, {
        headers: { ...UA, authorization: `Bearer ${pat}` },
      });
      expect(revoked.status).toBe(401);
      expect(revoked.json).toMatchObject({ message: 'Bad credentials' });
      const expired = gh.issuePersonalToken('alice', { expired: true });
      const dead = await call(`${gh.apiUrl}/user`, {
        headers: { ...UA, authorization: `token ${expired}` },
      });
      expect(dead.json.message).toBe('Bad credentials');
    });

    it('revokes a grant or one token with Basic client credentials', async () => {
      const issue = async (): Promise<string> => {
        const { code } = await gh.authorize(authorizeUrl(), 'alice');
        return String((await exchange({ code }, true)).json.access_token);
      };
      const [first, second, third] = [await issue(), await issue(), await issue()];
      const revoke = (what: string, token: string, auth = basic(app.clientId, app.clientSecret)) =>
        call(`${gh.apiUrl}/applications/${app.clientId}/${what}`, {
          method: 'DELETE',
          headers: { ...UA, authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ access_token: token }),
        });
      expect((await revoke('token', first, basic(app.clientId, 'wrong'))).status).toBe(401);
      expect((await revoke('token', 'gho_unknown')).status).toBe(404);
      expect((await revoke('token', first)).status).toBe(204);
      const userWith = (t: string) =>
        call(`${gh.apiUrl}/user`, { headers: { ...UA, authorization: `Bearer ${t}` } });
      expect((await userWith(first)).status).toBe(401);
      expect((await userWith(second)).status).toBe(200);
      expect((await revoke('grant', second)).status).toBe(204);
      expect((await userWith(third)).status).toBe(401);
      expect(gh.revokedGrants()).toEqual([first, second]);
      expect(gh.calls('revoke')).toHaveLength(4);
    });

    it('app mode: expiring ghu_ tokens, rotating ghr_ refresh tokens, bad_refresh_token', async () => {
      gh.appMode = true;
      try {
        const { code } = await gh.authorize(authorizeUrl(), 'alice');
        const first = (await exchange({ code }, true)).json;
        expect(first).toMatchObject({
          expires_in: 28800,
          refresh_token_expires_in: 15811200,
          token_type: 'bearer',
        });
        expect(first.access_token).toMatch(/^ghu_[A-Za-z0-9]{36}$/);
        expect(first.refresh_token).toMatch(/^ghr_[A-Za-z0-9]{76}$/);
        gh.expireAccessTokens();
        const expired = await call(`${gh.apiUrl}/user`, {
          headers: { ...UA, authorization: `Bearer ${String(first.access_token)}` },
        });
        expect(expired.status).toBe(401);
        const refresh = (token: string) =>
          exchange({ grant_type: 'refresh_token', refresh_token: token }, true);
        const second = (await refresh(String(first.refresh_token))).json;
        expect(second.refresh_token).not.toBe(first.refresh_token);
        expect(gh.refreshCount()).toBe(1);
        expect(gh.calls('token').at(-1)?.grantType).toBe('refresh_token');
        const again = await refresh(String(first.refresh_token));
        expect(again.status).toBe(200);
        expect(again.json.error).toBe('bad_refresh_token');
        gh.expireRefreshTokens();
        expect((await refresh(String(second.refresh_token))).json.error).toBe('bad_refresh_token');
      } finally {
        gh.appMode = false;
      }
    });
  });

  describe('GitLab', () => {
    let gl: FakeGitLab;
    let app: FakeApp;
    beforeAll(async () => ({ fake: gl, app } = await started(new FakeGitLab())));
    afterAll(() => gl.stop());

    function authorizeUrl(extra: Record<string, string> = {}): string {
      return withQuery(`${gl.webUrl}/oauth/authorize`, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        state: 'st-2',
        scope: 'api read_user',
        ...extra,
      });
    }

    const token = (fields: Record<string, string>): Promise<Answer> =>
      call(`${gl.webUrl}/oauth/token`, form(fields));

    async function codeWithPkce(): Promise<{ code: string; verifier: string }> {
      const { verifier, challenge } = pkce();
      const url = authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' });
      return { code: (await gl.authorize(url, 'alice')).code, verifier };
    }

    it('authorize (PKCE) → token → user; codes are single use', async () => {
      const { code, verifier } = await codeWithPkce();
      const grant = {
        grant_type: 'authorization_code',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      };
      const ok = await token(grant);
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({
        token_type: 'Bearer',
        expires_in: 7200,
        scope: 'api read_user',
      });
      expect(ok.json.access_token).toMatch(/^[0-9a-f]{64}$/);
      expect(Math.abs(Number(ok.json.created_at) - Date.now() / 1000)).toBeLessThan(5);
      const user = await call(`${gl.apiUrl}/user`, {
        headers: { authorization: `Bearer ${String(ok.json.access_token)}` },
      });
      expect(user.json).toMatchObject({
        username: 'alice',
        name: 'Alice',
        web_url: `${gl.baseUrl}/alice`,
      });
      expect(user.json.avatar_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      const reused = await token(grant);
      expect(reused.status).toBe(400);
      expect(reused.json.error).toBe('invalid_grant');
    });

    it('separates invalid_client (401) from invalid_grant (400)', async () => {
      const { code, verifier } = await codeWithPkce();
      const base = {
        grant_type: 'authorization_code',
        client_id: app.clientId,
        code,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      };
      const noSecret = await token(base);
      expect(noSecret.status).toBe(401);
      expect(noSecret.json.error).toBe('invalid_client');
      expect((await token({ ...base, client_secret: 'wrong' })).status).toBe(401);
      const secret = { ...base, client_secret: app.clientSecret };
      const badVerifier = await token({ ...secret, code_verifier: pkce().verifier });
      expect([badVerifier.status, badVerifier.json.error]).toEqual([400, 'invalid_grant']);
      const badRedirect = await token({ ...secret, redirect_uri: `${app.redirectUri}x` });
      expect(badRedirect.json.error).toBe('invalid_grant');
      expect((await token({ ...secret, code: 'f'.repeat(64) })).json.error).toBe('invalid_grant');
      // An authorization code lives 10 minutes.
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60 * 1000);
      try {
        expect((await token(secret)).json.error).toBe('invalid_grant');
      } finally {
        clock.mockRestore();
      }
      expect((await token(secret)).status).toBe(200);
    });

    it('refuses an authorize without response_type', async () => {
      const url = new URL(authorizeUrl());
      url.searchParams.delete('response_type');
      await expect(gl.authorize(url.toString(), 'alice')).rejects.toThrow(/invalid_request/);
    });

    it('refresh invalidates the old pair; expired and revoked tokens get their own messages', async () => {
      const { code, verifier } = await codeWithPkce();
      const creds = { client_id: app.clientId, client_secret: app.clientSecret };
      const first = (
        await token({
          ...creds,
          grant_type: 'authorization_code',
          code,
          redirect_uri: app.redirectUri,
          code_verifier: verifier,
        })
      ).json;
      const userWith = (t: unknown) =>
        call(`${gl.apiUrl}/user`, { headers: { authorization: `Bearer ${String(t)}` } });
      gl.expireAccessTokens();
      const expired = await userWith(first.access_token);
      expect(expired.status).toBe(401);
      expect(expired.json).toEqual({
        error: 'invalid_token',
        error_description: 'Token is expired. You can either do re-authorization or token refresh.',
      });
      const refresh = (t: unknown) =>
        token({
          ...creds,
          grant_type: 'refresh_token',
          refresh_token: String(t),
          redirect_uri: app.redirectUri,
        });
      const second = (await refresh(first.refresh_token)).json;
      expect(second.access_token).toMatch(/^[0-9a-f]{64}$/);
      expect(gl.refreshCount()).toBe(1);
      const replay = await refresh(first.refresh_token);
      expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
      expect((await userWith(second.access_token)).status).toBe(200);

      const revoke = await call(
        `${gl.webUrl}/oauth/revoke`,
        form({ ...creds, token: String(second.access_token) }),
      );
      expect([revoke.status, revoke.json]).toEqual([200, {}]);
      expect(gl.revokedGrants()).toEqual([second.access_token]);
      expect((await userWith(second.access_token)).json.error_description).toMatch(/revoked/);
      expect((await refresh(second.refresh_token)).json.error).toBe('invalid_grant');
      expect((await userWith('0'.repeat(64))).json).toEqual({ message: '401 Unauthorized' });
    });

    it('takes personal tokens in PRIVATE-TOKEN or Bearer', async () => {
      const pat = gl.issuePersonalToken('alice');
      expect(pat).toMatch(/^glpat-[A-Za-z0-9_-]{20}$/);
      const viaHeader = await call(`${gl.apiUrl}/user`, { headers: { 'private-token': pat } });
      expect(viaHeader.json.username).toBe('alice');
      const viaBearer = await call(`${gl.apiUrl}/user`, {
        headers: { authorization: `Bearer ${pat}` },
      });
      expect(viaBearer.status).toBe(200);
      const narrow = gl.issuePersonalToken('alice', { scopes: ['read_repository'] });
      expect(
        (await call(`${gl.apiUrl}/user`, { headers: { 'private-token': narrow } })).status,
      ).toBe(403);
    });

    it('injects faults: status (default 5xx page), delay, drop, counted', async () => {
      const pat = gl.issuePersonalToken('alice');
      const get = () => call(`${gl.apiUrl}/user`, { headers: { 'private-token': pat } });
      gl.failNext('user', { status: 502 }, 2);
      const first = await get();
      expect([first.status, first.headers.get('content-type')]).toEqual([
        502,
        'text/html; charset=utf-8',
      ]);
      expect((await get()).status).toBe(502);
      expect((await get()).status).toBe(200);
      gl.failNext('user', {
        status: 429,
        body: '{"message":"slow down"}',
        headers: { 'retry-after': '7' },
      });
      const limited = await get();
      expect([limited.status, limited.json, limited.headers.get('retry-after')]).toEqual([
        429,
        { message: 'slow down' },
        '7',
      ]);
      gl.failNext('user', { delayMs: 150 });
      const started = Date.now();
      expect((await get()).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      gl.failNext('user', { drop: true });
      await expect(get()).rejects.toThrow();
      expect((await get()).status).toBe(200);
      const huge = await call(`${gl.webUrl}/oauth/token`, {
        method: 'POST',
        body: 'x'.repeat(1 << 21),
      });
      expect(huge.status).toBe(413);
      const unknown = await call(`${gl.apiUrl}/projects`);
      expect([unknown.status, unknown.json]).toEqual([404, { error: '404 Not Found' }]);
      expect(
        gl
          .calls()
          .slice(-2)
          .map((c) => [c.endpoint, c.path]),
      ).toEqual([
        ['token', '/oauth/token'],
        ['other', '/api/v4/projects'],
      ]);
    });
  });

  describe('Gitee', () => {
    let ge: FakeGitee;
    let app: FakeApp;
    beforeAll(async () => ({ fake: ge, app } = await started(new FakeGitee())));
    afterAll(() => ge.stop());

    async function code(): Promise<string> {
      const url = withQuery(`${ge.webUrl}/oauth/authorize`, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'user_info projects',
        state: 'st-3',
      });
      return (await ge.authorize(url, 'alice')).code;
    }

    const tokenUrl = (query: Record<string, string>): string =>
      withQuery(`${ge.webUrl}/oauth/token`, query);

    it('exchanges with parameters in the query and the secret in the body', async () => {
      const c = await code();
      const query = {
        grant_type: 'authorization_code',
        code: c,
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
      };
      const noUa = await withoutUserAgent(
        tokenUrl(query),
        'POST',
        { 'content-type': 'application/x-www-form-urlencoded' },
        `client_secret=${app.clientSecret}`,
      );
      expect(noUa.status).toBe(403);
      const badSecret = await call(tokenUrl(query), form({ client_secret: 'nope' }));
      expect([badSecret.status, badSecret.json.error]).toEqual([401, 'invalid_client']);
      const ok = await call(tokenUrl(query), {
        method: 'POST',
        headers: { ...UA, 'content-type': 'application/json' },
        body: JSON.stringify({ client_secret: app.clientSecret }),
      });
      expect(ok.json).toMatchObject({
        token_type: 'bearer',
        expires_in: 86400,
        scope: 'user_info projects',
      });
      expect(ok.json.access_token).toMatch(/^[0-9a-f]{32}$/);
      const again = await call(tokenUrl(query), form({ client_secret: app.clientSecret }));
      expect([again.status, again.json.error]).toEqual([400, 'invalid_grant']);

      const at = String(ok.json.access_token);
      const user = await call(withQuery(`${ge.apiUrl}/user`, { access_token: at }), {
        headers: UA,
      });
      expect(user.json).toMatchObject({
        login: 'alice',
        name: 'Alice',
        html_url: `${ge.baseUrl}/alice`,
      });
      const viaHeader = await call(`${ge.apiUrl}/user`, {
        headers: { ...UA, authorization: `token ${at}` },
      });
      expect(viaHeader.status).toBe(200);
      const userNoUa = await withoutUserAgent(
        withQuery(`${ge.apiUrl}/user`, { access_token: at }),
        'GET',
      );
      expect(userNoUa.status).toBe(403);

      const refresh = (rt: unknown) =>
        call(tokenUrl({ grant_type: 'refresh_token', refresh_token: String(rt) }), {
          method: 'POST',
          headers: UA,
        });
      const second = await refresh(ok.json.refresh_token);
      expect(second.json.access_token).toMatch(/^[0-9a-f]{32}$/);
      expect((await refresh(ok.json.refresh_token)).json.error).toBe('invalid_grant');
      ge.expireAccessTokens();
      const expired = await call(`${ge.apiUrl}/user`, {
        headers: { ...UA, authorization: `Bearer ${String(second.json.access_token)}` },
      });
      expect([expired.status, expired.json]).toEqual([
        401,
        { message: '401 Unauthorized: Access token is expired' },
      ]);
      expect(ge.calls('token').map((c) => c.grantType)).toEqual([
        'authorization_code',
        'authorization_code',
        'authorization_code',
        'authorization_code',
        'refresh_token',
        'refresh_token',
      ]);
    });
  });

  describe('Bitbucket', () => {
    let bb: FakeBitbucket;
    let app: FakeApp;
    beforeAll(async () => ({ fake: bb, app } = await started(new FakeBitbucket())));
    afterAll(() => bb.stop());

    async function code(): Promise<string> {
      const url = withQuery(`${bb.webUrl}/site/oauth2/authorize`, {
        client_id: app.clientId,
        response_type: 'code',
        state: 'st-4',
      });
      return (await bb.authorize(url, 'alice')).code;
    }

    const token = (fields: Record<string, string>, secret = app.clientSecret): Promise<Answer> =>
      call(
        `${bb.webUrl}/site/oauth2/access_token`,
        form(fields, { authorization: basic(app.clientId, secret) }),
      );

    it('needs Basic client auth and a form body; rotates refresh tokens', async () => {
      const c = await code();
      const json = await call(`${bb.webUrl}/site/oauth2/access_token`, {
        method: 'POST',
        headers: {
          authorization: basic(app.clientId, app.clientSecret),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ grant_type: 'authorization_code', code: c }),
      });
      expect([json.status, json.json]).toEqual([
        400,
        { error: 'invalid_grant', error_description: 'Unsupported grant type: None' },
      ]);
      const badClient = await token({ grant_type: 'authorization_code', code: c }, 'nope');
      expect([badClient.status, badClient.json]).toEqual([
        400,
        { error: 'unauthorized_client', error_description: 'Invalid OAuth client credentials' },
      ]);
      const ok = await token({ grant_type: 'authorization_code', code: c });
      expect(ok.json).toMatchObject({
        expires_in: 7200,
        token_type: 'bearer',
        scope: 'account repository',
      });
      expect((await token({ grant_type: 'authorization_code', code: c })).json.error).toBe(
        'invalid_grant',
      );

      const at = String(ok.json.access_token);
      expect(at.endsWith('=')).toBe(true);
      const user = await call(`${bb.apiUrl}/user`, { headers: { authorization: `Bearer ${at}` } });
      expect(user.json).toMatchObject({
        username: 'alice',
        nickname: 'alice',
        display_name: 'Alice',
      });
      expect(user.json.links).toMatchObject({
        html: { href: expect.stringMatching(/%7B.+%7D\/$/) as unknown },
      });
      const viaQuery = await call(withQuery(`${bb.apiUrl}/user`, { access_token: at }));
      expect([viaQuery.status, viaQuery.json]).toEqual([
        401,
        { type: 'error', error: { message: 'Invalid credentials' } },
      ]);

      const second = await token({
        grant_type: 'refresh_token',
        refresh_token: String(ok.json.refresh_token),
      });
      expect(second.json.refresh_token).not.toBe(ok.json.refresh_token);
      const replay = await token({
        grant_type: 'refresh_token',
        refresh_token: String(ok.json.refresh_token),
      });
      expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
      bb.expireAccessTokens();
      const expired = await call(`${bb.apiUrl}/user`, {
        headers: { authorization: `Bearer ${String(second.json.access_token)}` },
      });
      expect(expired.json).toEqual({
        type: 'error',
        error: {
          message: 'Access token expired. Use your refresh token to obtain a new access token.',
        },
      });
    });

    it('accepts username + app password over Basic', async () => {
      bb.addAppPassword('alice', 'app-pass-1');
      const get = (pass: string) =>
        call(`${bb.apiUrl}/user`, { headers: { authorization: basic('alice', pass) } });
      expect((await get('app-pass-1')).json.username).toBe('alice');
      expect((await get('wrong')).json).toEqual({
        type: 'error',
        error: { message: 'Invalid credentials' },
      });
      bb.revokeToken('app-pass-1');
      expect((await get('app-pass-1')).status).toBe(401);
    });
  });

  describe('Gitea', () => {
    let gt: FakeGitea;
    let app: FakeApp;
    beforeAll(async () => ({ fake: gt, app } = await started(new FakeGitea())));
    afterAll(() => gt.stop());

    const tokenUrl = () => `${gt.webUrl}/login/oauth/access_token`;
    const json = (body: Record<string, string>) =>
      call(tokenUrl(), {
        method: 'POST',
        headers: { ...UA, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    async function code(): Promise<{ code: string; verifier: string }> {
      const { verifier, challenge } = pkce();
      const url = withQuery(`${gt.webUrl}/login/oauth/authorize`, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        state: 'st',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      return { code: (await gt.authorize(url, 'alice')).code, verifier };
    }

    it('exchanges a code (JSON body) for JWT tokens of an hour; the API takes them as token or Bearer', async () => {
      const { code: c, verifier } = await code();
      const ok = await json({
        grant_type: 'authorization_code',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code: c,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      });
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({
        access_token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/) as string,
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: expect.stringMatching(/^eyJ/) as string,
      });
      for (const scheme of ['token', 'Bearer']) {
        const user = await call(`${gt.apiUrl}/user`, {
          headers: { authorization: `${scheme} ${String(ok.json.access_token)}` },
        });
        expect(user.json).toMatchObject({ login: 'alice', html_url: `${gt.baseUrl}/alice` });
      }
    });

    it('answers 400 unauthorized_client for a bad code, a wrong secret, a failed PKCE check and a reused refresh token: only the description differs', async () => {
      const base = { client_id: app.clientId, redirect_uri: app.redirectUri };
      const error = async (body: Record<string, string>) => {
        const answer = await json(body);
        return [answer.status, answer.json.error, answer.json.error_description];
      };
      expect(
        await error({ ...base, grant_type: 'authorization_code', client_secret: 'x', code: 'c' }),
      ).toEqual([400, 'unauthorized_client', 'invalid client secret']);
      const secret = { ...base, client_secret: app.clientSecret };
      expect(await error({ ...secret, grant_type: 'authorization_code', code: 'nope' })).toEqual([
        400,
        'unauthorized_client',
        'client is not authorized',
      ]);
      const { code: c } = await code();
      expect(
        await error({
          ...secret,
          grant_type: 'authorization_code',
          code: c,
          code_verifier: 'w'.repeat(43),
        }),
      ).toEqual([400, 'unauthorized_client', 'failed PKCE code challenge']);

      const fresh = await code();
      const tokens = await json({
        ...secret,
        grant_type: 'authorization_code',
        code: fresh.code,
        code_verifier: fresh.verifier,
      });
      const refresh = {
        ...secret,
        grant_type: 'refresh_token',
        refresh_token: String(tokens.json.refresh_token),
      };
      expect((await json(refresh)).status).toBe(200);
      expect(await error(refresh)).toEqual([400, 'unauthorized_client', 'token was already used']);
      expect(await error({ ...refresh, refresh_token: 'garbage' })).toEqual([
        400,
        'unauthorized_client',
        'unable to parse refresh token',
      ]);
      expect(await error({ ...refresh, client_secret: 'x' })).toEqual([
        400,
        'invalid_client',
        'invalid client secret',
      ]);
    });

    it('answers the API with {message, url} errors', async () => {
      const none = await call(`${gt.apiUrl}/user`);
      expect([none.status, none.json.message]).toEqual([401, 'token is required']);
      const bad = await call(`${gt.apiUrl}/user`, { headers: { authorization: 'token nope' } });
      expect(bad.json).toEqual({
        message: 'invalid username, password or token',
        url: `${gt.baseUrl}/api/swagger`,
      });
      expect((await call(`${gt.apiUrl}/nowhere`)).json).toMatchObject({ message: 'not found' });
    });
  });

  describe('over TLS with a self-signed certificate', () => {
    it('serves HTTPS that a client trusting the certificate can use', async () => {
      const tls = await selfSignedCertificate();
      const gl = new FakeGitLab();
      await gl.start({ tls });
      const agent = new Agent({ connect: { ca: tls.cert } });
      try {
        expect(gl.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        gl.addUser('alice');
        gl.registerApp({ clientId: 'c', clientSecret: 's', redirectUri: 'https://cb.example/cb' });
        const url = withQuery(`${gl.webUrl}/oauth/authorize`, {
          client_id: 'c',
          redirect_uri: 'https://cb.example/cb',
          response_type: 'code',
          state: 'x',
        });
        expect((await gl.authorize(url, 'alice')).code).toMatch(/^[0-9a-f]{64}$/);
        const pat = gl.issuePersonalToken('alice');
        const res = await undiciFetch(`${gl.apiUrl}/user`, {
          headers: { 'private-token': pat },
          dispatcher: agent,
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { username: string }).username).toBe('alice');
        // An untrusting client is refused.
        await expect(fetch(`${gl.apiUrl}/user`)).rejects.toThrow();
      } finally {
        await agent.close();
        await gl.stop();
      }
    });
  });
});
