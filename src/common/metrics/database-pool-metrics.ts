import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import { Metrics } from './metrics';

/** The database pool's gauges, read from the pool when scraped. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly prisma: PrismaService,
  ) {}

  onModuleInit(): void {
    if (this.metrics.enabled) this.metrics.watchPool(() => this.prisma.poolStats());
  }
}
