import type { FakeBitbucket } from './fakes/fake-provider';
import { FUZZ_JWT_SECRET, FUZZ_PROJECT, fuzzApi } from './support/fuzz';
import { signJwt } from './support/jwt';
import { USER } from './support/providers';
import { startStack, type Stack } from './support/stack';

/** Fixed, so a failure replays; the reliability suite runs many more cases with a fresh seed. */
const SEED = 20261130;
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const BATCH = 8;

describe(`fuzz: ${RUNS * BATCH} hostile requests across every endpoint (seed ${SEED})`, () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ AUTH_MODE: 'iam', AUTH_JWT_SECRET: FUZZ_JWT_SECRET });
    await seedAuthorizations(stack);
  });

  afterAll(() => stack?.stop());

  it('answers no 5xx, and every error is an SVCSTG body with a request id; logs no error', async () => {
    const started = Date.now();
    const stats = await fuzzApi(stack.t.baseUrl, {
      seed: SEED,
      runs: RUNS,
      batch: BATCH,
      timeLimitMs: 20_000,
    });
    console.log(`fuzz (seed ${SEED}, ${Date.now() - started} ms): ${JSON.stringify(stats)}`);
    expect(stats.cases).toBe(RUNS * BATCH);
    const errorLines = stack.t.logs.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errorLines).toEqual([]);
  });
});

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
  expect(created.map((r) => r.status)).toEqual([200, 200, 200]);
}
