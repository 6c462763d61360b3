import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { ApiErrors } from '../common/errors/api-error-responses';
import { AppError } from '../common/errors/app-error';
import { Lifecycle } from '../common/lifecycle/lifecycle';
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
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: not shutting down, and the database answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiErrors('UNAVAILABLE')
  async ready(): Promise<HealthDto> {
    if (this.lifecycle.phase !== 'serving')
      throw new AppError('UNAVAILABLE', 'This instance is shutting down');
    if (!(await this.prisma.isReachable())) throw new AppError('UNAVAILABLE');
    return { status: 'ok' };
  }
}
