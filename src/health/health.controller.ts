import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { ApiErrors } from '../common/errors/api-error-responses';
import { AppError } from '../common/errors/app-error';
import { Lifecycle } from '../common/lifecycle/lifecycle';
import { DatabaseOutage } from '../database/database-outage';
import { PrismaService } from '../database/prisma.service';

@ApiSchema({ name: 'HealthStatus' })
class HealthDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';
}

export const HEALTH_TAG = 'health';
/** A probe can meet what any request can: it did not arrive in time, or its headers were too large. */
const PROBE_ERRORS = ['REQUEST_TIMEOUT', 'HEADERS_TOO_LARGE'] as const;

@ApiTags(HEALTH_TAG)
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly lifecycle: Lifecycle,
    private readonly outage: DatabaseOutage,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'showLiveness', summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({ type: HealthDto, description: 'The process is alive' })
  @ApiErrors(...PROBE_ERRORS)
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'showReadiness',
    summary: 'Readiness: not shutting down, and the database answers within DB_CONNECT_TIMEOUT_MS',
  })
  @ApiOkResponse({ type: HealthDto, description: 'Ready to serve requests' })
  @ApiErrors(...PROBE_ERRORS, 'UNAVAILABLE')
  async ready(): Promise<HealthDto> {
    if (this.lifecycle.phase !== 'serving')
      throw new AppError('UNAVAILABLE', 'This instance is shutting down');
    if (!(await this.prisma.isReachable())) {
      this.outage.failed('no answer to the readiness probe');
      throw new AppError('UNAVAILABLE', 'The database is unavailable');
    }
    return { status: 'ok' };
  }
}
