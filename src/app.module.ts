import { Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { CallbackPageModule } from './callback-page/callback-page.module';
import { AuthModule } from './common/auth/auth.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { validationPipeOptions } from './common/errors/validation-options';
import { LifecycleModule } from './common/lifecycle/lifecycle.module';
import { MetricsModule } from './common/metrics/metrics.module';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { appConfig } from './config/app.config';
import { databaseConfig } from './config/database.config';
import { DatabaseModule } from './database/database.module';
import { GitAuthModule } from './git-auth/git-auth.module';
import { HealthModule } from './health/health.module';
import { RepositoriesModule } from './repositories/repositories.module';

@Module({
  imports: [
    // .env is read once by the entry points (loadDotEnv); tests set process.env themselves.
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [appConfig, databaseConfig],
    }),
    LifecycleModule,
    MetricsModule,
    AuthModule,
    RateLimitModule,
    DatabaseModule,
    HealthModule,
    GitAuthModule,
    RepositoriesModule,
    AuditModule,
    CallbackPageModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useValue: new ValidationPipe(validationPipeOptions) },
  ],
})
export class AppModule {}
