import { request } from 'undici';
import { USER } from '../../test/support/providers';
import type { ArmName } from './arms';
import type { BenchGitHub } from './fakes';

interface Probe {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** Transport headers, not the API's. */
const IGNORED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
/** Must be present on both, with values that depend on time or randomness. */
const PRESENCE_ONLY = new Set([
  'x-request-id',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
]);
const GIVEN_REQUEST_ID = 'bench-wire-check-1';
/** Prefix of the projects the check creates authorizations in. */
export const WIRE_PROJECTS = 'wire-';

/** What a caller can observe, with random and time-dependent values masked. */
async function observe(base: string, probe: Probe): Promise<string> {
  const json = probe.body === undefined ? {} : { 'content-type': 'application/json' };
  const response = await request(`${base}${probe.path}`, {
    method: probe.method,
    headers: { ...json, ...probe.headers },
    body: probe.body,
  });
  const body = (await response.body.text())
    .replace(/([?&](?:state|code_challenge)=)[A-Za-z0-9_-]+/g, '$1…')
    .replace(/"(create_time|update_time)":\d+/g, '"$1":…');
  const headers = Object.entries(response.headers)
    .filter(([name]) => !IGNORED.has(name))
    .map(([name, value]) => {
      const echoed = name === 'x-request-id' && probe.headers?.['x-request-id'] !== undefined;
      return `${name}: ${PRESENCE_ONLY.has(name) && !echoed ? '…' : String(value)}`;
    })
    .sort();
  if (!headers.some((h) => h.startsWith('x-request-id:'))) headers.push('(no x-request-id!)');
  return `${response.statusCode}\n${headers.join('\n')}\n\n${body}`;
}

export interface WireContext {
  readonly bases: Readonly<Record<ArmName, string>>;
  /** The project holding the seeded authorizations (seed-0…). */
  readonly projectId: string;
  readonly github: BenchGitHub;
}

function probes(p: string): Probe[] {
  const auths = `/v1/${p}/git/auths`;
  const oauth = (name: string, body: string, headers?: Record<string, string>): Probe => ({
    name: `oauth: ${name}`,
    method: 'POST',
    path: `${auths}/github/oauth`,
    body,
    headers,
  });
  return [
    { name: 'health', method: 'GET', path: '/health' },
    { name: 'list (seeded project)', method: 'GET', path: auths },
    { name: 'list (empty project)', method: 'GET', path: `/v1/${WIRE_PROJECTS}empty/git/auths` },
    {
      name: 'list: request id echoed',
      method: 'GET',
      path: auths,
      headers: { 'x-request-id': GIVEN_REQUEST_ID },
    },
    { name: 'list: bad project id', method: 'GET', path: '/v1/bad_id/git/auths' },
    { name: 'list: project id too long', method: 'GET', path: `/v1/${'a'.repeat(65)}/git/auths` },
    { name: 'list: project id over 100', method: 'GET', path: `/v1/${'a'.repeat(101)}/git/auths` },
    { name: 'list: bad escape', method: 'GET', path: '/v1/%E0%A4%A/git/auths' },
    { name: 'unknown route', method: 'GET', path: '/nope' },
    { name: 'unknown method', method: 'POST', path: auths },
    { name: 'redirect', method: 'GET', path: `${auths}/github/redirect` },
    { name: 'redirect: tag INTL', method: 'GET', path: `${auths}/github/redirect?tag=INTL` },
    { name: 'redirect: empty tag', method: 'GET', path: `${auths}/github/redirect?tag=` },
    { name: 'redirect: bad tag', method: 'GET', path: `${auths}/github/redirect?tag=x-y` },
    { name: 'redirect: two tags', method: 'GET', path: `${auths}/github/redirect?tag=a&tag=b` },
    { name: 'redirect: unknown tag', method: 'GET', path: `${auths}/github/redirect?tag=nope` },
    { name: 'redirect: unknown repo type', method: 'GET', path: `${auths}/svn/redirect` },
    {
      name: 'redirect: long repo type',
      method: 'GET',
      path: `${auths}/${'x'.repeat(40)}/redirect`,
    },
    { name: 'redirect: unconfigured provider', method: 'GET', path: `${auths}/gitlab/redirect` },
    {
      name: 'redirect: bad project id',
      method: 'GET',
      path: '/v1/bad_id/git/auths/github/redirect',
    },
    oauth('empty object', '{}'),
    oauth('no body', ''),
    oauth('wrong types', '{"name":1,"code":"","state":5}'),
    oauth('short name', '{"name":"ab"}'),
    oauth('null fields', '{"name":null,"code":null,"state":null}'),
    oauth('long code', JSON.stringify({ name: 'good-name', code: 'c'.repeat(1025), state: 's' })),
    oauth(
      'astral code',
      JSON.stringify({ name: 'good-name', code: '😀'.repeat(1000), state: 's' }),
    ),
    oauth('array body', '[]'),
    oauth('null body', 'null'),
    oauth('string body', '"text"'),
    oauth('malformed JSON', '{bad'),
    oauth('__proto__ key', '{"__proto__":{"x":1},"name":"good-name","code":"c","state":"s"}'),
    oauth('text/plain', 'x', { 'content-type': 'text/plain' }),
    oauth('form body', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }),
    oauth(
      'unknown state',
      JSON.stringify({ name: 'good-name', code: 'c', state: 'nope', extra: 1 }),
    ),
    {
      name: 'oauth: unknown repo type',
      method: 'POST',
      path: `${auths}/svn/oauth`,
      body: JSON.stringify({ name: 'good-name', code: 'c', state: 's' }),
    },
    {
      name: 'oauth: bad tag before body',
      method: 'POST',
      path: `${auths}/github/oauth?tag=A-B`,
      body: '{}',
    },
    { name: 'credential', method: 'POST', path: `${auths}/seed-7/credential` },
    {
      name: 'credential: SDK style (JSON type, empty body)',
      method: 'POST',
      path: `${auths}/seed-7/credential`,
      headers: { 'content-type': 'application/json' },
    },
    { name: 'credential: not found', method: 'POST', path: `${auths}/no-such/credential` },
    { name: 'credential: bad name', method: 'POST', path: `${auths}/a/credential` },
    {
      name: 'credential: name over 100',
      method: 'POST',
      path: `${auths}/${'n'.repeat(101)}/credential`,
    },
    {
      name: 'credential: bad project id',
      method: 'POST',
      path: '/v1/bad_id/git/auths/seed-7/credential',
    },
    {
      name: 'credential: malformed JSON',
      method: 'POST',
      path: `${auths}/seed-7/credential`,
      body: '{bad',
    },
    { name: 'credential: GET', method: 'GET', path: `${auths}/seed-7/credential` },
  ];
}

/**
 * Sends every probe to both arms and returns the ones whose observable answers differ: status, headers, body
 * bytes (request ids, states, PKCE challenges and timestamps masked). Then runs the OAuth flow in all four
 * combinations (redirect on one arm, oauth on the same or the other) and reads each new authorization's
 * credential through both arms: states, PKCE verifiers and tokens sealed by one arm must open on the other.
 */
export async function wireDifferences(ctx: WireContext): Promise<string[]> {
  const differences: string[] = [];
  const compare = (name: string, a: string, b: string, labels = ['service', 'raw']) => {
    if (a !== b) differences.push(`${name}\n--- ${labels[0]}\n${a}\n--- ${labels[1]}\n${b}`);
  };
  for (const probe of probes(ctx.projectId)) {
    compare(
      probe.name,
      await observe(ctx.bases.service, probe),
      await observe(ctx.bases.raw, probe),
    );
  }

  const flows = new Map<string, string[]>();
  for (const [first, second] of [
    ['service', 'service'],
    ['raw', 'raw'],
    ['service', 'raw'],
    ['raw', 'service'],
  ] as const) {
    const p = `/v1/${WIRE_PROJECTS}${first}-${second}/git/auths`;
    const redirect = await request(`${ctx.bases[first]}${p}/github/redirect`);
    const { url } = (await redirect.body.json()) as { url: string };
    const { code, state } = await ctx.github.authorize(url, USER);
    const post = (name: string): Probe => ({
      name: `oauth (${name})`,
      method: 'POST',
      path: `${p}/github/oauth`,
      body: JSON.stringify({ name, code, state }),
    });
    const seen = [
      await observe(ctx.bases[second], post('wire-flow')),
      await observe(ctx.bases[second], post('wire-again')), // the state is spent
      await observe(ctx.bases[second], post('wire-flow')), // the name is taken
    ];
    const credential: Probe = {
      name: 'credential',
      method: 'POST',
      path: `${p}/wire-flow/credential`,
    };
    const viaService = await observe(ctx.bases.service, credential);
    compare(
      `credential of a ${second}-created authorization`,
      viaService,
      await observe(ctx.bases.raw, credential),
    );
    if (!viaService.startsWith('200'))
      differences.push(`credential of a ${second}-created authorization failed:\n${viaService}`);
    flows.set(`${first} → ${second}`, seen);
  }
  const [reference, ...others] = [...flows.entries()];
  for (const [name, seen] of others) {
    seen.forEach((answer, i) =>
      compare(`OAuth flow, step ${i + 1}`, reference[1][i], answer, [reference[0], name]),
    );
  }
  if (!reference[1][0].startsWith('200'))
    differences.push(`the OAuth flow failed:\n${reference[1][0]}`);
  return differences;
}
