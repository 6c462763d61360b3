import { expectError } from './support/errors';
import { USER, type FakeProviders } from './support/providers';
import { startStack, type Stack } from './support/stack';
import type { TestApp } from './support/test-app';

const PROJECT = '0123456789abcdef0123456789abcdef';

/**
 * What only Gitea does: one error code (`unauthorized_client`) for dead grants and for our misconfiguration,
 * told apart by its description; personal tokens in `Authorization: token`.
 */
describe('Gitea', () => {
  let stack: Stack;
  let providers: FakeProviders;
  let t: TestApp;
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack();
    ({ providers, t } = stack);
  });

  afterEach(() => providers.fakes.gitea.useUsualTokens());
  afterAll(() => stack?.stop());

  const gitea = () => providers.fakes.gitea;
  const name = () => `gitea-${++counter}`;
  const redirect = async () =>
    (await t.request<{ url: string }>('GET', `/v1/${PROJECT}/git/auths/gitea/redirect`)).body.url;
  const postOAuth = (body: object) =>
    t.request('POST', `/v1/${PROJECT}/git/auths/gitea/oauth`, { body });

  it('a code issued for another PKCE challenge ("failed PKCE code challenge") is the code failing: 0402', async () => {
    // Two flows; the code of the second is presented with the state (and so the verifier) of the first.
    const first = new URL(await redirect()).searchParams.get('state')!;
    const { code } = await gitea().authorize(await redirect(), USER);
    const res = await postOAuth({ name: name(), code, state: first });
    expectError(res, 'OAUTH_CODE_OR_STATE_INVALID', /Gitea: unauthorized_client/);
    const answer = gitea().calls('token').at(-1);
    expect(answer?.grantType).toBe('authorization_code');
  });

  it('a refresh token used elsewhere first ("token was already used") is a dead grant: expired, 0451', async () => {
    gitea().useExpiringTokens(60);
    const authName = name();
    const { code, state } = await gitea().authorize(await redirect(), USER);
    expect((await postOAuth({ name: authName, code, state })).status).toBe(200);
    // Another client of the same grant refreshed first: ours is spent.
    gitea().spendRefreshTokens();
    const credential = await t.request('POST', `/v1/${PROJECT}/git/auths/${authName}/credential`);
    expectError(credential, 'AUTHORIZATION_INVALID', /re-authorize/);
    const list = await t.request<{ authorizations: { name: string; status: number }[] }>(
      'GET',
      `/v1/${PROJECT}/git/auths`,
    );
    expect(list.body.authorizations.find((a) => a.name === authName)?.status).toBe(1);
  });

  it('checks a personal token the way Gitea documents it: Authorization: token …', async () => {
    const token = gitea().issuePersonalToken(USER);
    const res = await t.request('POST', `/v1/${PROJECT}/git/auths/gitea/personal`, {
      body: { name: name(), token },
    });
    expect(res.status).toBe(200);
    expect(gitea().calls('user').at(-1)?.headers.authorization).toBe(`token ${token}`);
  });
});
