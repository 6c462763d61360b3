import { notCalled } from '../../../test/support/not-called';
import { BitbucketStrategy } from './bitbucket.strategy';
import { GiteaStrategy } from './gitea.strategy';
import { GiteeStrategy } from './gitee.strategy';
import { GitHubStrategy } from './github.strategy';
import { GitLabStrategy } from './gitlab.strategy';
import type { ProviderHttp } from './http/provider-http';
import type { OAuthTokenClient, TokenRequest } from './oauth-token-client';
import { selfHostedApiUrl } from './provider-descriptor';
import { ProviderUnavailableError } from './provider-errors';
import type { OAuthApp } from './providers.config';
import type { RepoProviderStrategy } from './repo-provider.strategy';

const tokens = notCalled<OAuthTokenClient>('tokens');
const http = notCalled<ProviderHttp>('http');
const github = new GitHubStrategy(tokens, http);
const gitlab = new GitLabStrategy(tokens, http);
const gitee = new GiteeStrategy(tokens, http);
const bitbucket = new BitbucketStrategy(tokens, http);
const gitea = new GiteaStrategy(tokens, http);

function app(strategy: RepoProviderStrategy, webUrl: string): OAuthApp {
  return {
    repoType: strategy.descriptor.repoType,
    tag: '',
    clientId: 'cid',
    clientSecret: 'secret',
    redirectUri: 'https://console.example.com/servicestage/oauth?repo_type=x',
    scopes: ['read_user', 'read_repository'],
    webUrl,
    apiUrl: `${webUrl}/api`,
  };
}

describe('provider strategies (pure parts)', () => {
  describe('parseProfile', () => {
    it('GitHub: login, html_url, avatar_url', () => {
      expect(
        github.parseProfile({
          login: 'octocat',
          id: 1,
          html_url: 'https://github.com/octocat',
          avatar_url: 'https://a/1',
          name: 'The Octocat',
        }),
      ).toEqual({
        username: 'octocat',
        homeUrl: 'https://github.com/octocat',
        avatarUrl: 'https://a/1',
      });
    });

    it('GitLab: username, web_url, avatar_url', () => {
      expect(
        gitlab.parseProfile({
          username: 'jdoe',
          id: 2,
          web_url: 'https://gitlab.com/jdoe',
          avatar_url: null,
        }),
      ).toEqual({
        username: 'jdoe',
        homeUrl: 'https://gitlab.com/jdoe',
        avatarUrl: '',
      });
    });

    it('Gitee: login, html_url, avatar_url', () => {
      expect(
        gitee.parseProfile({
          login: 'li',
          html_url: 'https://gitee.com/li',
          avatar_url: 'https://gitee.com/a.png',
        }),
      ).toEqual({
        username: 'li',
        homeUrl: 'https://gitee.com/li',
        avatarUrl: 'https://gitee.com/a.png',
      });
    });

    it('Bitbucket: username, else nickname; links.html.href and links.avatar.href', () => {
      const links = {
        html: { href: 'https://bitbucket.org/%7Bu%7D/' },
        avatar: { href: 'https://avatar/u' },
      };
      expect(bitbucket.parseProfile({ username: 'bbuser', nickname: 'nick', links })).toEqual({
        username: 'bbuser',
        homeUrl: 'https://bitbucket.org/%7Bu%7D/',
        avatarUrl: 'https://avatar/u',
      });
      expect(bitbucket.parseProfile({ nickname: 'nick', account_id: '5f', links }).username).toBe(
        'nick',
      );
    });

    it.each([
      ['GitHub', github, { id: 1 }],
      ['GitLab', gitlab, { login: 'wrong-field' }],
      ['Bitbucket', bitbucket, { display_name: 'No Name' }],
      ['a non-object', gitee, 'Unauthorized'],
    ])('%s without a username is a provider failure', (_case, strategy, body) => {
      expect(() => strategy.parseProfile(body)).toThrow(ProviderUnavailableError);
    });
  });

  describe('authorizeUrl', () => {
    it('GitHub: scope, state and S256 challenge, no response_type', () => {
      const url = github.authorizeUrl(app(github, 'https://ghe.example/base'), {
        state: 's1',
        codeChallenge: 'ch',
      });
      expect(url.origin + url.pathname).toBe('https://ghe.example/base/login/oauth/authorize');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: 'cid',
        redirect_uri: 'https://console.example.com/servicestage/oauth?repo_type=x',
        scope: 'read_user read_repository',
        state: 's1',
        code_challenge: 'ch',
        code_challenge_method: 'S256',
      });
    });

    it('GitLab: response_type=code and PKCE', () => {
      const url = gitlab.authorizeUrl(app(gitlab, 'https://gitlab.example'), {
        state: 's',
        codeChallenge: 'c',
      });
      expect(url.pathname).toBe('/oauth/authorize');
      expect(url.searchParams.get('response_type')).toBe('code');
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    });

    it('Gitee and Bitbucket: no PKCE; Bitbucket sends no scope', () => {
      expect(gitee.descriptor.pkce || bitbucket.descriptor.pkce).toBe(false);
      const bb = bitbucket.authorizeUrl(app(bitbucket, 'https://bitbucket.org'), { state: 's' });
      expect(bb.pathname).toBe('/site/oauth2/authorize');
      expect(bb.searchParams.has('scope')).toBe(false);
      expect(
        gitee
          .authorizeUrl(app(gitee, 'https://gitee.com'), { state: 's' })
          .searchParams.get('response_type'),
      ).toBe('code');
    });
  });

  describe('gitCredential', () => {
    it.each([
      ['github', 'oauth', 'x-access-token', github],
      ['github', 'personal', 'x-access-token', github],
      ['gitlab', 'oauth', 'oauth2', gitlab],
      ['gitlab', 'personal', 'oauth2', gitlab],
      ['gitee', 'oauth', 'oauth2', gitee],
      ['gitee', 'personal', 'login-name', gitee],
      ['bitbucket', 'oauth', 'x-token-auth', bitbucket],
      ['bitbucket', 'password', 'login-name', bitbucket],
    ] as const)('%s %s → user %s', (_name, tokenType, username, strategy) => {
      expect(strategy.gitCredential(tokenType, 'the-secret', 'login-name')).toEqual({
        username,
        password: 'the-secret',
      });
    });
  });

  describe('apiCredential', () => {
    it('tokens go as Bearer, Bitbucket passwords as HTTP Basic with the login', () => {
      expect(github.apiCredential('personal', 't')).toEqual({ kind: 'bearer', token: 't' });
      expect(gitlab.apiCredential('oauth', 't')).toEqual({ kind: 'bearer', token: 't' });
      expect(bitbucket.apiCredential('password', 'pw', 'jdoe')).toEqual({
        kind: 'basic',
        username: 'jdoe',
        password: 'pw',
      });
    });

    it('refuses a kind of secret the provider does not take', () => {
      expect(() => bitbucket.apiCredential('personal', 't')).toThrow(/Bitbucket takes no personal/);
      expect(() => github.gitCredential('password', 'pw', 'x')).toThrow(/GitHub takes no password/);
      expect(() => bitbucket.apiCredential('password', 'pw')).toThrow(/needs the account login/);
    });
  });

  describe('which token endpoint errors mean a dead grant', () => {
    /** The refusal test a strategy hands to the token client with its code exchange. */
    async function refusalTest(strategy: new (...a: never[]) => RepoProviderStrategy) {
      let request: TokenRequest | undefined;
      const capture = {
        request: (r: TokenRequest) => {
          request = r;
          return Promise.resolve({ accessToken: 'x' });
        },
      } as unknown as OAuthTokenClient;
      const instance = new (
        strategy as unknown as new (t: OAuthTokenClient, h: ProviderHttp) => RepoProviderStrategy
      )(capture, http);
      await instance.exchangeCode(app(instance, 'https://x.example'), { code: 'c' });
      return (error: string, description?: string) =>
        request!.isGrantRefusal({ error, description });
    }

    it.each([
      [
        GitHubStrategy,
        ['invalid_grant', 'bad_verification_code', 'bad_refresh_token', 'unverified_user_email'],
      ],
      [GitLabStrategy, ['invalid_grant']],
      [GiteeStrategy, ['invalid_grant']],
      [BitbucketStrategy, ['invalid_grant']],
      [GiteaStrategy, ['invalid_grant']],
    ] as const)('%p: %j', async (strategy, dead) => {
      const isDead = await refusalTest(strategy);
      for (const code of dead) expect(isDead(code)).toBe(true);
      for (const code of [
        'invalid_client',
        'unauthorized_client',
        'incorrect_client_credentials',
        'redirect_uri_mismatch',
        'invalid_request',
      ])
        expect(isDead(code)).toBe(false);
    });

    it.each([
      ['client is not authorized', true],
      ['failed PKCE code challenge', true],
      ['token was already used', true],
      ['unable to parse refresh token', true],
      ['invalid client secret', false],
      ['invalid empty client secret', false],
      ['unexpected redirect URI', false],
      [undefined, false],
    ])('Gitea: unauthorized_client "%s" is a dead grant: %s', async (description, dead) => {
      const isDead = await refusalTest(GiteaStrategy);
      expect(isDead('unauthorized_client', description)).toBe(dead);
    });
  });

  describe('Gitea', () => {
    it('asks for a code with PKCE, its scopes and response_type=code at /login/oauth/authorize', () => {
      const url = gitea.authorizeUrl(
        { ...app(gitea, 'https://codeberg.org'), scopes: gitea.descriptor.scopes },
        { state: 's', codeChallenge: 'ch' },
      );
      expect(url.origin + url.pathname).toBe('https://codeberg.org/login/oauth/authorize');
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        response_type: 'code',
        scope: 'read:user read:organization write:repository',
        code_challenge: 'ch',
        code_challenge_method: 'S256',
      });
    });

    it('reads login, html_url and avatar_url; sends personal tokens as `token`, OAuth tokens as Bearer', () => {
      expect(
        gitea.parseProfile({
          id: 7,
          login: 'lu',
          full_name: 'Lu',
          html_url: 'https://codeberg.org/lu',
          avatar_url: 'https://codeberg.org/avatars/abc',
        }),
      ).toEqual({
        username: 'lu',
        homeUrl: 'https://codeberg.org/lu',
        avatarUrl: 'https://codeberg.org/avatars/abc',
      });
      expect(gitea.apiCredential('personal', 't')).toEqual({ kind: 'token', token: 't' });
      expect(gitea.apiCredential('oauth', 't')).toEqual({ kind: 'bearer', token: 't' });
      expect(gitea.gitCredential('oauth', 't', 'lu')).toEqual({ username: 'lu', password: 't' });
      expect(selfHostedApiUrl(gitea.descriptor, 'https://git.corp.example')).toBe(
        'https://git.corp.example/api/v1',
      );
    });
  });

  it('derives self-hosted API URLs, where the provider has self-hosted servers', () => {
    expect(selfHostedApiUrl(github.descriptor, 'https://ghe.example')).toBe(
      'https://ghe.example/api/v3',
    );
    expect(selfHostedApiUrl(gitlab.descriptor, 'https://example.com/gitlab/')).toBe(
      'https://example.com/gitlab/api/v4',
    );
    expect(selfHostedApiUrl(gitee.descriptor, 'https://gitee.example')).toBe(
      'https://gitee.example/api/v5',
    );
    expect(selfHostedApiUrl(bitbucket.descriptor, 'https://bitbucket.example')).toBeUndefined();
  });
});
