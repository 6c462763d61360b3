import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../../config/app.config';
import { metricsConfig } from '../../config/metrics.config';
import { DatabasePoolMetrics } from './database-pool-metrics';
import { Metrics } from './metrics';
import { MetricsEndpoint } from './metrics-endpoint';

/** Prometheus metrics: global, so any feature can record into them. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(metricsConfig), ConfigModule.forFeature(appConfig)],
  providers: [Metrics, MetricsEndpoint, DatabasePoolMetrics],
  exports: [Metrics, MetricsEndpoint],
})
export class MetricsModule {}
