import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { ApiErrors } from '../common/errors/api-error-responses';
import { AppError } from '../common/errors/app-error';
import { Lifecycle } from '../common/lifecycle/lifecycle';
import { DatabaseOutage } from '../database/database-outage';
import { PrismaService } from '../database/prisma.service';

class HealthDto {
  status!: 'ok';
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly lifecycle: Lifecycle,
    private readonly outage: DatabaseOutage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: not shutting down, and the database answers within DB_CONNECT_TIMEOUT_MS',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiErrors('UNAVAILABLE')
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
