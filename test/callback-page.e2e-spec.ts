import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PAGE_HEADERS } from '../src/callback-page/callback-page';
import { expectError } from './support/errors';
import { USER } from './support/providers';
import { startStack, type Stack } from './support/stack';
import { startTestApp } from './support/test-app';

const PROJECT = '0123456789abcdef0123456789abcdef';
const JWT_SECRET = 'callback-page-jwt-secret-of-at-least-32-bytes';

/** The page's configuration block (a JSON data block, never executed). */
function pageConfig(html: string): Record<string, unknown> {
  const block = /<script type="application\/json" id="page-config">([^<]*)<\/script>/.exec(html);
  if (!block) throw new Error('no page-config block');
  return JSON.parse(block[1]) as Record<string, unknown>;
}

/**
 * The built-in callback page over HTTP: what it serves and with which headers, the flow lookup its script makes,
 * and that its address keeps no secret in the access log. tests/browser drives the page itself in Chromium.
 */
describe('OAuth callback page', () => {
  let s: Stack;

  beforeAll(async () => {
    s = await startStack();
  });

  afterAll(async () => {
    await s?.stop();
  });

  /** A state issued by the redirect operation, and a code from the fake provider for it. */
  async function providerRedirect(
    kind: string,
    tag = '',
  ): Promise<{ code: string; state: string }> {
    const query = tag ? `?tag=${tag}` : '';
    const res = await s.t.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/${kind}/redirect${query}`,
    );
    expect(res.status).toBe(200);
    return s.providers.fakes[kind].authorize(res.body.url, USER);
  }

  it('serves one static page, whatever the query, with a strict policy and no secret in it', async () => {
    const { code, state } = await providerRedirect('github');
    const page = await s.t.request('GET', `/oauth/callback?code=${code}&state=${state}`);
    const bare = await s.t.request('GET', '/oauth/callback');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const [name, value] of Object.entries(PAGE_HEADERS))
      expect(page.headers.get(name)).toBe(value);
    expect(page.text).toBe(bare.text);
    expect(page.text).not.toContain(code);
    expect(page.text).not.toContain(state);
    // No inline script or style, nothing from elsewhere.
    expect(page.text).not.toMatch(/<script(?![^>]*(type="application\/json"|src="callback\/))/);
    expect(page.text).not.toMatch(/ on[a-z]+=|style=|https?:\/\//);
    expect(pageConfig(page.text)).toMatchObject({
      callerToken: 'none',
      providers: { github: 'GitHub', gitlab: 'GitLab' },
      docs: '../docs',
    });
  });

  it('serves its script and style', async () => {
    const script = await s.t.request('GET', '/oauth/callback/callback.js');
    const style = await s.t.request('GET', '/oauth/callback/callback.css');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('history.replaceState');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('tells its script which flow a state belongs to, leaving the state for the oauth operation', async () => {
    const { code, state } = await providerRedirect('github', 'intl');
    const flow = await s.t.request('POST', '/oauth/callback/flow', { body: { state } });
    expect(flow.status).toBe(200);
    expect(flow.body).toEqual({ project_id: PROJECT, repo_type: 'github', tag: 'intl' });
    const created = await s.t.request('POST', `/v1/${PROJECT}/git/auths/github/oauth?tag=intl`, {
      body: { name: 'via-page', code, state },
    });
    expect(created.status).toBe(200);
    expectError(
      await s.t.request('POST', '/oauth/callback/flow', { body: { state } }),
      'OAUTH_CODE_OR_STATE_INVALID',
      /start the authorization again/,
    );
  });

  it('answers a missing or malformed state like the API does', async () => {
    expectError(
      await s.t.request('POST', '/oauth/callback/flow', { body: {} }),
      'INVALID_PARAMETER',
      'state is required',
    );
    expectError(
      await s.t.request('POST', '/oauth/callback/flow', { body: { state: 'no spaces' } }),
      'INVALID_PARAMETER',
    );
    expectError(
      await s.t.request('POST', '/oauth/callback/flow', { body: { state: 'never-issued' } }),
      'OAUTH_CODE_OR_STATE_INVALID',
    );
  });

  it('keeps the code, the state and the provider’s error text out of the access log', async () => {
    const { code, state } = await providerRedirect('gitlab');
    const query = `code=${code}&state=${state}&error_description=secret-ish`;
    const res = await s.t.request('GET', `/oauth/callback?${query}`);
    const line = s.t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === res.headers.get('x-request-id'));
    expect(line).toMatchObject({
      msg: 'request completed',
      url: '/oauth/callback?code=[redacted]&state=[redacted]&error_description=[redacted]',
    });
    await s.t.request('POST', '/oauth/callback/flow', { body: { state } });
    const logs = s.t.logs.join('\n');
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(state);
  });

  it('is not part of the API description', async () => {
    const doc = (await s.t.request<OpenAPIObject>('GET', '/docs-json')).body;
    expect(Object.keys(doc.paths).filter((p) => p.includes('callback'))).toEqual([]);
  });

  it('with AUTH_MODE=iam: asks for an X-Auth-Token (or says it cannot), the page itself stays open', async () => {
    const common = { ...s.providers.env, DATABASE_URL: s.db.url, AUTH_MODE: 'iam' };
    const jwt = await startTestApp({ ...common, AUTH_JWT_SECRET: JWT_SECRET });
    try {
      const page = await jwt.request('GET', '/oauth/callback');
      expect(page.status).toBe(200);
      expect(pageConfig(page.text)).toMatchObject({ callerToken: 'x-auth-token' });
      expectError(
        await jwt.request('POST', '/oauth/callback/flow', { body: { state: 'never-issued' } }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
    } finally {
      await jwt.close();
    }
    // AK/SK only: a browser page cannot sign requests, and says so instead of asking for a token.
    const dir = mkdtempSync(join(tmpdir(), 'callback-page-'));
    const keys = join(dir, 'keys.json');
    writeFileSync(
      keys,
      JSON.stringify([{ ak: 'PAGEAK', sk: 'page-secret-key-0123456789', project_ids: [PROJECT] }]),
    );
    const aksk = await startTestApp({ ...common, AUTH_ACCESS_KEYS_FILE: keys });
    try {
      const page = await aksk.request('GET', '/oauth/callback');
      expect(pageConfig(page.text)).toMatchObject({ callerToken: 'unavailable' });
    } finally {
      await aksk.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
