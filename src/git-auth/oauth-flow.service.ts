import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { gitAuthConfig, type GitAuthConfig } from '../config/git-auth.config';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import { randomToken } from './crypto/random-bytes';
import type { Authorization } from './domain/authorization';
import { nameTaken } from './domain/errors';
import { hashState, pkceChallenge } from './domain/oauth-state';
import { GrantRevoker } from './grant-revoker';
import { OAuthApps } from './oauth-apps';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { OAuthStateRepository } from './persistence/oauth-state.repository';
import { providerCall } from './providers/provider-call';
import { ProviderRegistry } from './providers/provider-registry';
import type { OAuthApp } from './providers/providers.config';
import type { RepoProviderStrategy, TokenSet } from './providers/repo-provider.strategy';

interface OAuthCallback {
  readonly name: string;
  readonly code: string;
  readonly state: string;
}

/** Operations b and c of the API: the authorize URL with a one-off state, and completing the flow. */
@Injectable()
export class OAuthFlowService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly apps: OAuthApps,
    private readonly states: OAuthStateRepository,
    private readonly authorizations: AuthorizationRepository,
    private readonly secrets: AuthorizationSecrets,
    private readonly revoker: GrantRevoker,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
  ) {}

  /**
   * A fresh state (256 random bits, stored only as its SHA-256) bound to project, repo type and tag; with PKCE
   * the verifier stays here, sealed, next to it.
   */
  async authorizeUrl(projectId: string, repoType: string, tag: string): Promise<string> {
    const strategy = this.registry.get(repoType);
    const provider = strategy.descriptor;
    const app = this.apps.get(provider, tag);
    const state = randomToken();
    const stateHash = hashState(state);
    const verifier = provider.pkce ? randomToken() : undefined;
    const sealed =
      verifier === undefined ? undefined : this.secrets.sealVerifier(stateHash, verifier);
    await this.states.create({
      stateHash,
      projectId,
      repoType: provider.repoType,
      tag,
      keyId: sealed?.keyId ?? null,
      codeVerifierSealed: sealed?.sealed ?? null,
      expiresAt: new Date(Date.now() + this.config.stateTtlSeconds * 1000),
    });
    const codeChallenge = verifier === undefined ? undefined : pkceChallenge(verifier);
    return strategy.authorizeUrl(app, { state, codeChallenge }).href;
  }

  /**
   * Consumes the state (exactly one concurrent caller can), exchanges the code once, reads the profile and stores
   * the authorization with its tokens sealed. Nothing is stored unless every step succeeded.
   */
  async complete(
    projectId: string,
    repoType: string,
    tag: string,
    callback: OAuthCallback,
  ): Promise<Authorization> {
    const strategy = this.registry.get(repoType);
    const provider = strategy.descriptor;
    const app = this.apps.get(provider, tag);
    const stateHash = hashState(callback.state);
    // A taken name leaves the state, and so the user's code, unspent (the unique index still decides below).
    const consumption = await this.states.consume(
      { stateHash, projectId, repoType: provider.repoType, tag },
      callback.name,
      new Date(),
    );
    if (consumption.outcome === 'nameTaken') throw nameTaken(callback.name);
    if (consumption.outcome === 'invalid') {
      throw new AppError(
        'OAUTH_CODE_OR_STATE_INVALID',
        'The state is unknown, expired, already used, or was issued for another project, repository type or tag',
      );
    }
    const consumed = consumption.state;
    const codeVerifier =
      consumed.keyId && consumed.codeVerifierSealed
        ? this.secrets.openVerifier(stateHash, consumed.keyId, consumed.codeVerifierSealed)
        : undefined;

    const tokens = await providerCall(
      provider,
      () => strategy.exchangeCode(app, { code: callback.code, codeVerifier }),
      {
        key: 'OAUTH_CODE_OR_STATE_INVALID',
        message: 'The provider rejected the authorization code',
      },
    );
    try {
      return await this.store(strategy, app, { projectId, name: callback.name }, tokens);
    } catch (error) {
      // The token we just obtained is stored nowhere: give it back, or it lingers at the provider (GitHub keeps
      // 10 per user and app, then drops the oldest — possibly one we did store). Only this token: the account
      // may hold others of ours.
      this.revoker.revokeInBackground(strategy, app, tokens.accessToken, 'token', {
        name: callback.name,
        reason: 'OAuth completion failed after the code exchange',
      });
      throw error;
    }
  }

  private async store(
    strategy: RepoProviderStrategy,
    app: OAuthApp,
    identity: { projectId: string; name: string },
    tokens: TokenSet,
  ): Promise<Authorization> {
    const profile = await providerCall(
      strategy.descriptor,
      () =>
        strategy.fetchProfile(
          { webUrl: app.webUrl, apiUrl: app.apiUrl, guarded: false },
          strategy.apiCredential('oauth', tokens.accessToken),
        ),
      { key: 'PROVIDER_UNAVAILABLE', message: 'The provider refused the token it has just issued' },
    );
    const sealed = this.secrets.seal(identity, tokens.accessToken, tokens.refreshToken);
    // Field by field, no spread: on Node.js 20 an object literal that starts with a spread and then adds
    // properties takes microseconds (a new hidden class each time), here ~20 µs per flow.
    return this.authorizations.create({
      projectId: identity.projectId,
      name: identity.name,
      repoType: app.repoType,
      tag: app.tag,
      tokenType: 'oauth',
      repoHost: app.webUrl,
      apiUrl: app.apiUrl,
      repoUser: profile.username,
      repoHome: profile.homeUrl,
      avatar: profile.avatarUrl,
      login: null,
      keyId: sealed.keyId,
      secretSealed: sealed.secretSealed,
      refreshTokenSealed: sealed.refreshTokenSealed,
      tokenExpiresAt: tokens.expiresAt ?? null,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null,
      scope: tokens.scope ?? null,
    });
  }
}
