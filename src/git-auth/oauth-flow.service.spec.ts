import { createHash } from 'node:crypto';
import {
  InMemoryAuthorizations,
  InMemoryOAuthStates,
  strict,
} from '../../test/support/in-memory-store';
import { appErrorOf } from '../../test/support/thrown';
import {
  apps,
  gitAuthConfig,
  RecordingRevoker,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { OAuthFlowService } from './oauth-flow.service';
import type { AuthorizationRepository } from './persistence/authorization.repository';
import type { OAuthStateRepository } from './persistence/oauth-state.repository';
import { ProviderRejectedError, ProviderUnavailableError } from './providers/provider-errors';
import type { OAuthApp } from './providers/providers.config';
import type { RepoProviderStrategy } from './providers/repo-provider.strategy';

const PROJECT = 'p1';
const PROFILE = { username: 'octo', homeUrl: 'https://github.com/octo', avatarUrl: 'https://a/1' };

type Steps = Parameters<typeof strategyOf>[1];

function setup(repoType: string, steps: Steps) {
  const authorizations = new InMemoryAuthorizations();
  const states = new InMemoryOAuthStates(authorizations);
  const revoker = new RecordingRevoker();
  const strategy: RepoProviderStrategy = strategyOf(repoType, steps);
  const service = new OAuthFlowService(
    registryWith(strategy),
    apps,
    strict<OAuthStateRepository>(states, ['create', 'consume']),
    strict<AuthorizationRepository>(authorizations, ['create']),
    secrets,
    revoker.asRevoker(),
    gitAuthConfig,
  );
  /** The redirect operation, then the provider sending the user back with a code. */
  const begin = async (project = PROJECT, tag = '') => {
    const url = new URL(await service.authorizeUrl(project, repoType, tag));
    return { url, state: url.searchParams.get('state')! };
  };
  return { authorizations, states, revoker, service, begin };
}

const tokens = { accessToken: 'new-token', refreshToken: 'new-refresh' };

describe('OAuthFlowService', () => {
  it('completes a flow: the PKCE verifier behind the challenge goes to the code exchange, tokens are sealed', async () => {
    const exchangeCode = jest.fn((_app: OAuthApp, _params: { codeVerifier?: string }) =>
      Promise.resolve(tokens),
    );
    const fetchProfile = jest.fn(() => Promise.resolve(PROFILE));
    const { authorizations, states, service, begin } = setup('github', {
      exchangeCode,
      fetchProfile,
    });
    const { url, state } = await begin();
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const created = await service.complete(PROJECT, 'github', '', {
      name: 'my-auth',
      code: 'the-code',
      state,
    });
    expect(created).toMatchObject({ name: 'my-auth', repoType: 'github', repoUser: 'octo' });
    const { codeVerifier } = exchangeCode.mock.calls[0][1];
    expect(
      createHash('sha256')
        .update(codeVerifier ?? '')
        .digest('base64url'),
    ).toBe(url.searchParams.get('code_challenge'));
    expect(fetchProfile).toHaveBeenCalledWith(expect.anything(), {
      kind: 'bearer',
      token: 'new-token',
    });
    expect(secrets.open(authorizations.get(PROJECT, 'my-auth')!)).toEqual({
      secret: 'new-token',
      refreshToken: 'new-refresh',
    });
    expect(states.states.size).toBe(0);
  });

  describe('rollback after a failed completion', () => {
    it('gives the new token back (this token only) when reading the profile fails, and stores nothing', async () => {
      const { authorizations, revoker, service, begin } = setup('github', {
        exchangeCode: () => Promise.resolve(tokens),
        fetchProfile: () => Promise.reject(new ProviderUnavailableError('HTTP 500')),
      });
      const { state } = await begin();
      const error = await appErrorOf(
        service.complete(PROJECT, 'github', '', { name: 'my-auth', code: 'c', state }),
      );
      expect(error.key).toBe('PROVIDER_UNAVAILABLE');
      expect(authorizations.rows.size).toBe(0);
      expect(revoker.revocations).toEqual([
        expect.objectContaining({
          accessToken: 'new-token',
          scope: 'token',
          why: { name: 'my-auth', reason: 'OAuth completion failed after the code exchange' },
        }),
      ]);
    });

    it('gives the new token back when the name was taken meanwhile (the unique index decides): 0403', async () => {
      const { authorizations, revoker, service, begin } = setup('gitlab', {
        exchangeCode: () => {
          // A concurrent request creates the name while the code is being exchanged.
          authorizations.put({ projectId: PROJECT, name: 'my-auth' });
          return Promise.resolve(tokens);
        },
        fetchProfile: () => Promise.resolve(PROFILE),
      });
      const { state } = await begin();
      const error = await appErrorOf(
        service.complete(PROJECT, 'gitlab', '', { name: 'my-auth', code: 'c', state }),
      );
      expect(error.key).toBe('ALREADY_EXISTS');
      expect(revoker.revocations.map((r) => [r.repoType, r.accessToken, r.scope])).toEqual([
        ['gitlab', 'new-token', 'token'],
      ]);
    });

    it('a code the provider refuses is 0402; no token was issued, none is revoked; the state is spent', async () => {
      const { states, revoker, service, begin } = setup('gitlab', {
        exchangeCode: () => Promise.reject(new ProviderRejectedError('invalid_grant')),
      });
      const { state } = await begin();
      const error = await appErrorOf(
        service.complete(PROJECT, 'gitlab', '', { name: 'my-auth', code: 'bad', state }),
      );
      expect(error.key).toBe('OAUTH_CODE_OR_STATE_INVALID');
      expect(error.message).toMatch(/GitLab: invalid_grant/);
      expect(revoker.revocations).toEqual([]);
      expect(states.states.size).toBe(0);
    });
  });

  describe('the state', () => {
    it('is bound to project, repo type and tag: a foreign one is 0402 and stays usable by its owner', async () => {
      const exchangeCode = jest.fn(() => Promise.resolve(tokens));
      const { service, begin } = setup('gitlab', {
        exchangeCode,
        fetchProfile: () => Promise.resolve(PROFILE),
      });
      const { state } = await begin(PROJECT, 'intl');
      for (const [project, repoType, tag] of [
        ['p2', 'gitlab', 'intl'],
        [PROJECT, 'github', 'intl'],
        [PROJECT, 'gitlab', ''],
      ]) {
        const error = await appErrorOf(
          service.complete(project, repoType, tag, { name: 'my-auth', code: 'c', state }),
        );
        expect(error.key).toBe('OAUTH_CODE_OR_STATE_INVALID');
      }
      expect(exchangeCode).not.toHaveBeenCalled();
      await expect(
        service.complete(PROJECT, 'gitlab', 'intl', { name: 'my-auth', code: 'c', state }),
      ).resolves.toMatchObject({ tag: 'intl' });
    });

    it('is refused, without spending the code, when the name is already taken', async () => {
      const exchangeCode = jest.fn(() => Promise.resolve(tokens));
      const { authorizations, states, service, begin } = setup('gitlab', { exchangeCode });
      authorizations.put({ projectId: PROJECT, name: 'taken' });
      const { state } = await begin();
      const error = await appErrorOf(
        service.complete(PROJECT, 'gitlab', '', { name: 'taken', code: 'c', state }),
      );
      expect(error.key).toBe('ALREADY_EXISTS');
      expect(exchangeCode).not.toHaveBeenCalled();
      expect(states.states.size).toBe(1);
    });

    it('carries no PKCE for a provider without it', async () => {
      const { states, begin } = setup('gitee', {});
      const { url } = await begin();
      expect(url.searchParams.has('code_challenge')).toBe(false);
      expect([...states.states.values()][0]).toMatchObject({
        keyId: null,
        codeVerifierSealed: null,
      });
    });
  });
});
