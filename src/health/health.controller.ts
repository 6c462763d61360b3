import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { ApiErrors } from '../common/errors/api-error-responses';
import { AppError } from '../common/errors/app-error';
import { PrismaService } from '../database/prisma.service';

class HealthDto {
  status!: 'ok';
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiErrors('DATABASE_UNAVAILABLE')
  async ready(): Promise<HealthDto> {
    if (!(await this.prisma.isReachable())) throw new AppError('DATABASE_UNAVAILABLE');
    return { status: 'ok' };
  }
}
