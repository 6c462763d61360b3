import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit/audit.module';
import { gitAuthConfig } from '../config/git-auth.config';
import { AuthorizationStoreModule } from './authorization-store.module';
import { CredentialHandOut } from './credential-hand-out.service';
import { CredentialService } from './credential.service';
import { DirectAuthService } from './direct-auth.service';
import { GitAuthController } from './git-auth.controller';
import { GitHostResolver } from './git-host-resolver';
import { ListAndDeleteService } from './list-and-delete.service';
import { GrantRevoker } from './grant-revoker';
import { OAuthApps } from './oauth-apps';
import { OAuthFlowService } from './oauth-flow.service';
import { OAuthStateJanitor } from './oauth-state-janitor';
import { ProviderHttp } from './providers/http/provider-http';
import { ProviderTelemetry } from './providers/http/provider-telemetry';
import { OAuthTokenClient } from './providers/oauth-token-client';
import { ProviderRegistry, REPO_PROVIDER_STRATEGIES } from './providers/provider-registry';
import { providersConfig } from './providers/providers.config';
import { PROVIDER_STRATEGIES } from './providers/registered-providers';
import { TokenRefresher } from './token-refresher';

@Module({
  imports: [
    ConfigModule.forFeature(gitAuthConfig),
    ConfigModule.forFeature(providersConfig),
    AuthorizationStoreModule,
    AuditModule,
  ],
  controllers: [GitAuthController],
  providers: [
    ListAndDeleteService,
    OAuthFlowService,
    DirectAuthService,
    CredentialService,
    CredentialHandOut,
    TokenRefresher,
    GitHostResolver,
    OAuthApps,
    GrantRevoker,
    OAuthStateJanitor,
    ProviderHttp,
    ProviderTelemetry,
    OAuthTokenClient,
    ...PROVIDER_STRATEGIES,
    {
      provide: REPO_PROVIDER_STRATEGIES,
      inject: [...PROVIDER_STRATEGIES],
      useFactory: (...strategies: unknown[]) => strategies,
    },
    ProviderRegistry,
  ],
  // Repository operations use authorizations the way the credential endpoint does.
  exports: [CredentialService],
})
export class GitAuthModule {}
