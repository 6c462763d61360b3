import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../../config/app.config';
import { BackgroundWork } from './background-work';
import { Lifecycle } from './lifecycle';

/** Shutdown order and the background work it drains; global, so any feature can track work. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  providers: [BackgroundWork, Lifecycle],
  exports: [BackgroundWork, Lifecycle],
})
export class LifecycleModule {}
