import fc from 'fast-check';
import { Pool } from 'undici';
import type { FakeBitbucket } from '../fakes/fake-provider';
import { signJwt } from './jwt';
import { USER } from './providers';
import { startStack, type Stack } from './stack';

/**
 * Property-based fuzzing of the whole HTTP API (fast-check): any method, path, query, header and body a client
 * can send, biased towards the shapes the endpoints expect so that the checks behind validation are reached
 * too. The property: no answer is a 5xx, and every error is an SVCSTG body with a JSON content type and an
 * X-Request-Id.
 */

export const FUZZ_JWT_SECRET = 'fuzz-jwt-secret-of-at-least-32-bytes-0123456789';
export const FUZZ_PROJECT = '0123456789abcdef0123456789abcdef';
/** Authorizations the fuzz stack creates first, so credential, verify and delete reach real rows. */
export const FUZZ_NAMES = ['fuzz-gitlab-oauth', 'fuzz-github-pat', 'fuzz-bitbucket-pw'];

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  auth: 'valid' | 'other-project' | 'garbage-jwt' | 'garbage-aksk' | 'none';
}

export interface FuzzStats {
  cases: number;
  byStatus: Record<number, number>;
  byCode: Record<string, number>;
  maxLatencyMs: number;
}

const REPO_TYPES = ['github', 'gitlab', 'gitee', 'bitbucket', 'devcloud', 'GitHub', ''];

/** Strings a hostile or careless client sends: unicode, control characters, long runs, almost-valid values. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\r',
      '\n',
      '\t',
      ' ',
      '%',
      '/',
      '\u00ff',
      '\u2028',
      '😀',
      'a',
      '"',
      '\\',
    ),
    maxLength: 12,
  }),
  fc.constantFrom('', ' ', 'null', '__proto__', 'constructor', '..', '%00', 'a'.repeat(5000)),
  fc.stringMatching(/^[A-Za-z0-9._-]{1,70}$/),
);

const projectId = fc.oneof(
  { weight: 6, arbitrary: fc.constant(FUZZ_PROJECT) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/) },
  { weight: 2, arbitrary: nasty },
);

const name = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FUZZ_NAMES) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{4,63}$/) },
  { weight: 2, arbitrary: nasty },
);

/** A JSON value in a field: right type, wrong type, null, nested, huge. */
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,60}$/) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

const bodyObject = fc.record(
  {
    name: fc.oneof(name, fieldValue),
    code: fieldValue,
    state: fieldValue,
    token: fieldValue,
    host: fc.oneof(
      fieldValue,
      fc.constantFrom(
        'https://gitlab.example.com',
        'http://127.0.0.1',
        'https://10.0.0.1',
        'https://[::1]:8443',
        'file:///etc/passwd',
      ),
    ),
    user: fieldValue,
    password: fieldValue,
  },
  { requiredKeys: [] },
);

const ascii = fc.stringMatching(/^[\x21-\x7e]{1,80}$/);
/** Bodies that pass validation, so the provider calls and database writes behind it run too. */
const wellFormedBody = fc.record(
  {
    name: fc.stringMatching(/^[A-Za-z0-9._-]{4,63}$/),
    code: ascii,
    state: ascii,
    token: ascii,
    user: ascii,
    password: ascii,
  },
  { requiredKeys: ['name'] },
);

const body: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: bodyObject.map((o) => JSON.stringify(o)) },
  { weight: 3, arbitrary: wellFormedBody.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      '{',
      'null',
      '[]',
      '"x"',
      '{"__proto__":{"a":1}}',
      '{"constructor":{"prototype":{}}}',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 6000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  },
  { weight: 1, arbitrary: nasty },
);

const repoType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...REPO_TYPES) },
  { weight: 1, arbitrary: nasty },
);

const seg = (value: string): string => encodeURIComponent(value);

/** A `namespace`, `project` or file `path` of the repository operations: plain, with `:` for `/`, or hostile. */
const repoSegment = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,60}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('octo-user', 'a:..:b', '::', '.', 'src%2Fmain', 'trees'),
  },
  { weight: 1, arbitrary: nasty },
);

/** The repository operations (read side), under `/git/repos` and `/git/files`. */
const repositoryOperation: fc.Arbitrary<{ method: string; path: string }> = fc.oneof(
  projectId.map((p) => ({ method: 'GET', path: `/v1/${seg(p)}/git/repos/namespaces` })),
  projectId.map((p) => ({ method: 'GET', path: `/v1/${seg(p)}/git/repos/project-info` })),
  fc
    .tuple(projectId, repoSegment)
    .map(([p, ns]) => ({ method: 'GET', path: `/v1/${seg(p)}/git/repos/${seg(ns)}/projects` })),
  fc
    .tuple(projectId, repoSegment, repoSegment, fc.constantFrom('branches', 'tags', 'commits'))
    .map(([p, ns, r, v]) => ({
      method: 'GET',
      path: `/v1/${seg(p)}/git/repos/${seg(ns)}/${seg(r)}/${v}`,
    })),
  fc
    .tuple(projectId, repoSegment, repoSegment, fc.oneof(fc.constant('trees'), repoSegment))
    .map(([p, ns, r, f]) => ({
      method: 'GET',
      path: `/v1/${seg(p)}/git/files/${seg(ns)}/${seg(r)}/${seg(f)}`,
    })),
);

/** The API's operations (method and path), each with its own parameters. */
const operation: fc.Arbitrary<{ method: string; path: string }> = fc.oneof(
  projectId.map((p) => ({ method: 'GET', path: `/v1/${seg(p)}/git/auths` })),
  fc
    .tuple(projectId, repoType)
    .map(([p, r]) => ({ method: 'GET', path: `/v1/${seg(p)}/git/auths/${seg(r)}/redirect` })),
  fc
    .tuple(projectId, repoType, fc.constantFrom('oauth', 'personal', 'password'))
    .map(([p, r, v]) => ({
      method: 'POST',
      path: `/v1/${seg(p)}/git/auths/${seg(r)}/${v}`,
    })),
  fc
    .tuple(projectId, name, fc.constantFrom('credential', 'verify'))
    .map(([p, n, v]) => ({ method: 'POST', path: `/v1/${seg(p)}/git/auths/${seg(n)}/${v}` })),
  fc
    .tuple(projectId, name)
    .map(([p, n]) => ({ method: 'DELETE', path: `/v1/${seg(p)}/git/auths/${seg(n)}` })),
  fc
    .constantFrom('/health', '/health/ready', '/docs-json')
    .map((path) => ({ method: 'GET', path })),
  repositoryOperation,
);

/** Mostly the operation as the API expects it; sometimes the wrong method or a path of no route. */
const target: fc.Arbitrary<{ method: string; path: string }> = fc.oneof(
  { weight: 10, arbitrary: operation },
  {
    weight: 1,
    arbitrary: fc
      .tuple(operation, fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'))
      .map(([op, method]) => ({ ...op, method })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('/', '/v1', '/%', '/%E0%A4%A', `/v1/${'a'.repeat(300)}/git/auths`),
        fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
      )
      .map((path) => ({ method: 'GET', path })),
  },
);

const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '?tag=intl',
      '?tag=',
      '?tag=INTL',
      '?tag=a&tag=b',
      '?tag[]=x',
      '?code=secret',
      '?ref=main',
      '?ref=',
      '?ref=a..b',
      '?ref=main&ref=dev',
      '?clone_url=https%3A%2F%2Fgithub.com%2Foctocat%2FHello-World.git',
      '?clone_url=git%40localhost%3Aa%2Fb.git',
      '?clone_url=file%3A%2F%2F%2Fetc%2Fpasswd',
    ),
  },
  { weight: 1, arbitrary: nasty.map((v) => `?ref=${encodeURIComponent(v)}`) },
  { weight: 1, arbitrary: nasty.map((v) => `?clone_url=${encodeURIComponent(v)}`) },
  { weight: 1, arbitrary: nasty.map((v) => `?tag=${encodeURIComponent(v)}`) },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json',
  '',
);

const contentTypeHeader = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: contentType },
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    target,
    query,
    headers: fc.record(
      {
        'content-type': contentTypeHeader,
        'x-request-id': fc.oneof(
          fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
          nasty.filter((v) => /^[\x21-\x7e]*$/.test(v)),
        ),
        'x-sdk-date': fc.constantFrom('20261128T200719Z', 'yesterday', ''),
        // The authorization of the repository operations: a stored one, a well-formed unknown one, or hostile.
        'x-repo-auth': name,
      },
      { requiredKeys: ['content-type'] },
    ),
    body,
    auth: fc.oneof(
      { weight: 8, arbitrary: fc.constant('valid' as const) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('other-project', 'garbage-jwt', 'garbage-aksk', 'none'),
      },
    ),
  })
  .map(({ target: t, query: q, headers, body: b, auth }) => ({
    method: t.method,
    path: t.path + q,
    headers,
    body: b,
    auth,
  }));

/** undici refuses to send header values that are not header-safe: those cases test nothing of ours. */
function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([, v]) => v !== '' && /^[\t\x20-\x7e\x80-\xff]*$/.test(v)),
  );
}

async function authHeaders(
  auth: FuzzRequest['auth'],
  path: string,
): Promise<Record<string, string>> {
  const key = new TextEncoder().encode(FUZZ_JWT_SECRET);
  const segment = /^\/v1\/([^/?]*)/.exec(path)?.[1] ?? FUZZ_PROJECT;
  let project = segment;
  try {
    project = decodeURIComponent(segment);
  } catch {
    // a malformed escape: the service refuses the path before authentication anyway
  }
  switch (auth) {
    case 'valid':
      return { 'x-auth-token': await signJwt({ project_id: project }, { alg: 'HS256', key }) };
    case 'other-project':
      return {
        'x-auth-token': await signJwt({ project_id: 'someone-else' }, { alg: 'HS256', key }),
      };
    case 'garbage-jwt':
      return { 'x-auth-token': 'eyJhbGciOiJIUzI1NiJ9.e30.not-a-signature' };
    case 'garbage-aksk':
      return {
        authorization: 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00',
      };
    case 'none':
      return {};
  }
}

/** What is wrong with an answer, or undefined. */
export function problemWith(
  method: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
): string | undefined {
  if (status >= 500) return `answered ${status}: ${text.slice(0, 200)}`;
  if (!headers['x-request-id']) return `no X-Request-Id on a ${status}`;
  if (status < 400 || method === 'HEAD') return undefined;
  if (!String(headers['content-type']).startsWith('application/json'))
    return `error ${status} with content type ${String(headers['content-type'])}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `error ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const body = parsed as Record<string, unknown>;
  if (
    Object.keys(body).sort().join() !== 'error_code,error_msg' ||
    typeof body.error_code !== 'string' ||
    !/^SVCSTG\.REPO\.\d{4}$/.test(body.error_code) ||
    typeof body.error_msg !== 'string'
  ) {
    return `error ${status} is not an SVCSTG body: ${text.slice(0, 200)}`;
  }
  return undefined;
}

/**
 * Runs `runs` batches of `batch` concurrent requests against `baseUrl` (seeded, so a failure replays with the
 * same seed); fast-check shrinks a failing batch to a small counterexample.
 */
export async function fuzzApi(
  baseUrl: string,
  options: { seed: number; runs: number; batch: number; timeLimitMs: number },
): Promise<FuzzStats> {
  const pool = new Pool(baseUrl, {
    connections: options.batch,
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
  const stats: FuzzStats = { cases: 0, byStatus: {}, byCode: {}, maxLatencyMs: 0 };
  const send = async (r: FuzzRequest): Promise<string | undefined> => {
    const started = Date.now();
    const res = await pool.request({
      method: r.method,
      path: r.path,
      headers: { ...sendableHeaders(r.headers), ...(await authHeaders(r.auth, r.path)) },
      body: ['GET', 'HEAD'].includes(r.method) ? undefined : r.body,
    });
    const text = await res.body.text();
    stats.cases++;
    stats.maxLatencyMs = Math.max(stats.maxLatencyMs, Date.now() - started);
    stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
    const code =
      res.statusCode >= 400 ? /"error_code":"(SVCSTG\.REPO\.\d{4})"/.exec(text)?.[1] : undefined;
    if (code) stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
    const problem = problemWith(r.method, res.statusCode, res.headers, text);
    return problem && `${r.method} ${r.path} (${r.auth}): ${problem}`;
  };
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fuzzRequest, { minLength: options.batch, maxLength: options.batch }),
        async (requests) => {
          const problems = (await Promise.all(requests.map(send))).filter((p) => p !== undefined);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        },
      ),
      {
        seed: options.seed,
        numRuns: options.runs,
        // Bounded: a run (shrinking included) that outlives the limit fails instead of running on.
        interruptAfterTimeLimit: options.timeLimitMs,
        markInterruptAsFailure: true,
      },
    );
  } finally {
    await pool.close();
  }
  return stats;
}

/** Bytes of an HTTP head no client library would send: broken methods, targets, versions and header lines. */
const garbage = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    '\t',
    ':',
    '/',
    '%',
    '?',
    '\u0000',
    '\u0001',
    '\u007f',
    '\u00ff',
    '\r',
    '\n',
    '"',
    '{',
  ),
  maxLength: 30,
});

export const rawHead: fc.Arbitrary<string> = fc
  .record({
    method: fc.oneof(
      fc.constantFrom(
        'GET',
        'POST',
        'DELETE',
        'PUT',
        'HEAD',
        'OPTIONS',
        'PROPFIND',
        'CONNECT',
        'TRACE',
        'BREW',
      ),
      garbage,
    ),
    target: fc.oneof(
      fc.constantFrom(
        `/v1/${FUZZ_PROJECT}/git/auths`,
        '/health',
        '*',
        'http://127.0.0.1/health',
        '/%00',
      ),
      garbage.map((g) => `/${g}`),
      garbage,
    ),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', ''),
    headers: fc.array(
      fc.oneof(
        fc.constantFrom(
          'Host: x',
          'Connection: close',
          'Content-Length: 0',
          'Transfer-Encoding: chunked',
          'Expect: 100-continue',
        ),
        fc.tuple(garbage, garbage).map(([name, value]) => `${name}: ${value}`),
        garbage,
      ),
      { maxLength: 6 },
    ),
  })
  .map(
    ({ method, target, version, headers }) =>
      // Always a complete head that closes the connection afterwards, so every case gets exactly one answer.
      `${method} ${target} ${version}\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`,
  );

/**
 * Sends raw heads one at a time; each must get an answer (no silence, no reset) below 500, and every error must
 * be an SVCSTG body with an X-Request-Id. Returns the answers by status.
 */
export async function fuzzRawHttp(
  options: { seed: number; runs: number; timeLimitMs: number },
  send: (
    head: string,
  ) => Promise<{ status: number; headers: Record<string, string>; body: string }>,
): Promise<Record<number, number>> {
  const byStatus: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(rawHead, async (head) => {
      const res = await send(head);
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      if (res.status === 0) throw new Error(`no answer to ${JSON.stringify(head)}`);
      const problem = problemWith(
        head.startsWith('HEAD ') ? 'HEAD' : 'GET',
        res.status,
        res.headers,
        res.body,
      );
      if (problem) throw new Error(`${JSON.stringify(head)}: ${problem}`);
    }),
    {
      seed: options.seed,
      numRuns: options.runs,
      interruptAfterTimeLimit: options.timeLimitMs,
      markInterruptAsFailure: true,
    },
  );
  return byStatus;
}

/** The names fuzzApi aims at: an OAuth, a personal-token and a password authorization. */
export async function seedAuthorizations({ t, providers }: Stack): Promise<void> {
  const headers = {
    'x-auth-token': await signJwt(
      { project_id: FUZZ_PROJECT },
      { alg: 'HS256', key: new TextEncoder().encode(FUZZ_JWT_SECRET) },
    ),
  };
  const base = `/v1/${FUZZ_PROJECT}/git/auths`;
  const redirect = await t.request<{ url: string }>('GET', `${base}/gitlab/redirect`, { headers });
  const { code, state } = await providers.fakes.gitlab.authorize(redirect.body.url, USER);
  const created = [
    await t.request('POST', `${base}/gitlab/oauth`, {
      headers,
      body: { name: 'fuzz-gitlab-oauth', code, state },
    }),
    await t.request('POST', `${base}/github/personal`, {
      headers,
      body: { name: 'fuzz-github-pat', token: providers.fakes.github.issuePersonalToken(USER) },
    }),
  ];
  (providers.fakes.bitbucket as FakeBitbucket).addAppPassword(USER, 'fuzz-app-password');
  created.push(
    await t.request('POST', `${base}/bitbucket/password`, {
      headers,
      body: { name: 'fuzz-bitbucket-pw', user: USER, password: 'fuzz-app-password' },
    }),
  );
  const statuses = created.map((r) => r.status);
  if (statuses.some((s) => s !== 200)) throw new Error(`seeding failed: ${statuses.join(', ')}`);
}

/** The service with caller authentication on (the fuzz sends valid and broken credentials) and fuzzApi's rows. */
export async function startFuzzStack(): Promise<Stack> {
  // info, not the tests' usual debug: thousands of requests, and only error lines are checked.
  const stack = await startStack({
    AUTH_MODE: 'iam',
    AUTH_JWT_SECRET: FUZZ_JWT_SECRET,
    LOG_LEVEL: 'info',
  });
  await seedAuthorizations(stack);
  return stack;
}
