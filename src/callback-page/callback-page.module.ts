import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../config/auth.config';
import { AuthorizationStoreModule } from '../git-auth/authorization-store.module';
import { CallbackPageController } from './callback-page.controller';
import { PendingFlows } from './pending-flows';

/** The OAuth callback page for standalone use; it completes flows through the public API like any client. */
@Module({
  imports: [ConfigModule.forFeature(authConfig), AuthorizationStoreModule],
  controllers: [CallbackPageController],
  providers: [PendingFlows],
})
export class CallbackPageModule {}
