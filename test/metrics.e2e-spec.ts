import { expectError } from './support/errors';
import { USER } from './support/providers';
import { freePort } from './support/free-port';
import { startStack, type Stack } from './support/stack';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const BASE = `/v1/${PROJECT}/git/auths`;
const METRICS_TOKEN = 'scrape-token-0123456789';

/** One sample line of the exposition: `name{labels} value`. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with this name and these labels (0 when there is none). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} is not one series`);
  return found[0]?.value ?? 0;
}

describe('metrics', () => {
  describe('on the service port, caller authentication off', () => {
    let stack: Stack;
    let samples: Sample[];
    let exposition: string;

    beforeAll(async () => {
      stack = await startStack({ PROVIDER_TIMEOUT_MS: '1000' });
      const { t, providers } = stack;
      const gitlab = providers.fakes.gitlab;
      // An OAuth flow with a token that the credential call below refreshes.
      gitlab.accessTokenTtlSeconds = 60;
      const redirect = await t.request<{ url: string }>('GET', `${BASE}/gitlab/redirect`);
      const { code, state } = await gitlab.authorize(redirect.body.url, USER);
      expect(
        (await t.request('POST', `${BASE}/gitlab/oauth`, { body: { name: 'lab-1', code, state } }))
          .status,
      ).toBe(200);
      expect((await t.request('POST', `${BASE}/lab-1/credential`)).status).toBe(200);
      // A provider outage and a timeout while checking personal tokens.
      const github = providers.fakes.github;
      github.failNext('user', { status: 503 });
      expectError(
        await t.request('POST', `${BASE}/github/personal`, {
          body: { name: 'hub-1', token: github.issuePersonalToken(USER) },
        }),
        'PROVIDER_UNAVAILABLE',
      );
      github.failNext('user', { delayMs: 1_500 });
      expectError(
        await t.request('POST', `${BASE}/github/personal`, {
          body: { name: 'hub-1', token: github.issuePersonalToken(USER) },
        }),
        'PROVIDER_TIMEOUT',
      );
      for (let i = 0; i < 3; i++) expect((await t.request('GET', BASE)).status).toBe(200);
      expect((await t.request('GET', `/v1/${PROJECT}/nothing-here`)).status).toBe(404);
      const res = await t.request('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      exposition = res.text;
      samples = parseExposition(exposition);
    });

    afterAll(() => stack?.stop());

    const HTTP = 'git_auth_http_request_duration_seconds_count';
    const PROVIDER = 'git_auth_provider_request_duration_seconds_count';

    it('counts requests by route template, method and status', () => {
      expect(valueOf(samples, HTTP, { route: '/v1/:project_id/git/auths', method: 'GET' })).toBe(3);
      expect(
        valueOf(samples, HTTP, {
          route: '/v1/:project_id/git/auths/:repo_type/oauth',
          method: 'POST',
          status: '200',
        }),
      ).toBe(1);
      expect(
        valueOf(samples, HTTP, {
          route: '/v1/:project_id/git/auths/:repo_type/personal',
          status: '502',
        }),
      ).toBe(1);
      expect(
        valueOf(samples, HTTP, {
          route: '/v1/:project_id/git/auths/:repo_type/personal',
          status: '504',
        }),
      ).toBe(1);
      expect(valueOf(samples, HTTP, { route: '(unmatched)', method: 'GET', status: '404' })).toBe(
        1,
      );
    });

    it('has bounded labels: route templates, never a project id, an authorization name or a URL', () => {
      expect(exposition).not.toContain(PROJECT);
      expect(exposition).not.toContain('lab-1');
      expect(exposition).not.toContain('nothing-here');
      expect(exposition).not.toContain('127.0.0.1');
      const routes = new Set(samples.flatMap((s) => (s.labels.route ? [s.labels.route] : [])));
      for (const route of routes) expect(route).toMatch(/^(\(unmatched\)|\/[a-z0-9/:_*-]*)$/);
    });

    it('times provider calls by provider, operation and outcome', () => {
      expect(
        valueOf(samples, PROVIDER, {
          provider: 'gitlab',
          operation: 'exchange_code',
          outcome: '2xx',
        }),
      ).toBe(1);
      expect(
        valueOf(samples, PROVIDER, { provider: 'gitlab', operation: 'profile', outcome: '2xx' }),
      ).toBe(1);
      expect(
        valueOf(samples, PROVIDER, { provider: 'gitlab', operation: 'refresh', outcome: '2xx' }),
      ).toBe(1);
      expect(
        valueOf(samples, PROVIDER, { provider: 'github', operation: 'profile', outcome: '5xx' }),
      ).toBe(1);
      expect(
        valueOf(samples, PROVIDER, {
          provider: 'github',
          operation: 'profile',
          outcome: 'timeout',
        }),
      ).toBe(1);
      // The timed-out call took PROVIDER_TIMEOUT_MS: it sits in the histogram's 1 s bucket or above.
      expect(
        valueOf(samples, 'git_auth_provider_request_duration_seconds_bucket', {
          provider: 'github',
          outcome: 'timeout',
          le: '0.5',
        }),
      ).toBe(0);
    });

    it('counts refreshes by provider and outcome', () => {
      expect(
        valueOf(samples, 'git_auth_token_refreshes_total', {
          provider: 'gitlab',
          outcome: 'success',
        }),
      ).toBe(1);
    });

    it("reads the database pool's gauges when scraped", () => {
      expect(valueOf(samples, 'git_auth_db_pool_connections_max')).toBe(10);
      const idle = valueOf(samples, 'git_auth_db_pool_connections_idle');
      const inUse = valueOf(samples, 'git_auth_db_pool_connections_in_use');
      expect(idle).toBeGreaterThanOrEqual(1); // the requests above left their connections in the pool
      expect(idle + inUse).toBeLessThanOrEqual(10);
      expect(valueOf(samples, 'git_auth_db_pool_requests_waiting')).toBe(0);
    });

    it('includes the process metrics', () => {
      expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    });

    it('is not part of the API document', async () => {
      const doc = await stack.t.request<{ paths: Record<string, unknown> }>('GET', '/docs-json');
      expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
    });
  });

  describe('who may scrape', () => {
    const JWT_SECRET = 'a-test-secret-that-is-long-enough-0123';
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    const start = (env: Record<string, string>): Promise<TestApp> =>
      startTestApp({ DATABASE_URL: db.url, ...env });

    it('with caller authentication on the service port refuses scrapes without METRICS_TOKEN', async () => {
      const t = await start({ AUTH_MODE: 'iam', AUTH_JWT_SECRET: JWT_SECRET });
      try {
        expectError(await t.request('GET', '/metrics'), 'UNAUTHENTICATED');
        expectError(
          await t.request('GET', '/metrics', {
            headers: { authorization: 'Bearer anything-at-all' },
          }),
          'UNAUTHENTICATED',
        );
      } finally {
        await t.close();
      }
    });

    it('with METRICS_TOKEN answers only the bearer of that token', async () => {
      const t = await start({
        AUTH_MODE: 'iam',
        AUTH_JWT_SECRET: JWT_SECRET,
        METRICS_TOKEN,
      });
      try {
        const ok = await t.request('GET', '/metrics', {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        });
        expect(ok.status).toBe(200);
        expect(ok.text).toContain('git_auth_http_request_duration_seconds');
        for (const authorization of [
          `Bearer ${METRICS_TOKEN}x`,
          `Basic ${METRICS_TOKEN}`,
          METRICS_TOKEN,
        ])
          expectError(
            await t.request('GET', '/metrics', { headers: { authorization } }),
            'UNAUTHENTICATED',
          );
      } finally {
        await t.close();
      }
    });

    it('METRICS_PORT moves /metrics to a listener of its own, open unless METRICS_TOKEN is set', async () => {
      const port = await freePort();
      const t = await start({
        AUTH_MODE: 'iam',
        AUTH_JWT_SECRET: JWT_SECRET,
        METRICS_PORT: String(port),
        METRICS_HOST: '127.0.0.1',
      });
      const metricsUrl = `http://127.0.0.1:${port}`;
      try {
        expectError(await t.request('GET', '/metrics'), 'ROUTE_NOT_FOUND');
        const ok = await fetch(`${metricsUrl}/metrics`);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(await ok.text()).toContain('git_auth_http_request_duration_seconds');
        const other = await fetch(`${metricsUrl}/health`);
        expect(other.status).toBe(404);
        expect(await other.json()).toEqual({
          error_code: 'SVCSTG.REPO.0404',
          error_msg: 'No such API',
        });
      } finally {
        await t.close();
      }
      // Closed with the application.
      await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
    });

    it('METRICS_PORT with METRICS_TOKEN asks for the token there too', async () => {
      const port = await freePort();
      const t = await start({
        AUTH_MODE: 'none',
        METRICS_PORT: String(port),
        METRICS_HOST: '127.0.0.1',
        METRICS_TOKEN,
      });
      try {
        expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
        const ok = await fetch(`http://127.0.0.1:${port}/metrics`, {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        });
        expect(ok.status).toBe(200);
      } finally {
        await t.close();
      }
    });

    it('METRICS_ENABLED=false: no /metrics at all', async () => {
      const t = await start({ AUTH_MODE: 'none', METRICS_ENABLED: 'false' });
      try {
        expectError(await t.request('GET', '/metrics'), 'ROUTE_NOT_FOUND');
      } finally {
        await t.close();
      }
    });
  });
});
