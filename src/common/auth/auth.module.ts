import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { authConfig, type AuthConfig } from '../../config/auth.config';
import { AuthGuard } from './auth.guard';
import { RequestAuthenticator } from './request-authenticator';

/** Authenticates every route that is not @Public() (one global guard, so a new controller is protected). */
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  providers: [RequestAuthenticator, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule implements OnModuleInit {
  private readonly logger = new Logger('Auth');

  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  onModuleInit(): void {
    const { config } = this;
    if (config.mode === 'none') {
      this.logger.warn(
        'AUTH_MODE=none: AUTHENTICATION IS DISABLED. Every caller can read and change every project. ' +
          'Never run like this outside a test or a closed development machine.',
      );
      return;
    }
    this.logger.log({
      msg: 'authentication enabled',
      xAuthToken: config.jwt
        ? `${config.jwt.key.algorithm} JWT, project claim "${config.jwt.projectClaim}"`
        : 'off',
      aksk: config.accessKeys ? `${config.accessKeys.size} access key(s)` : 'off',
    });
  }
}
