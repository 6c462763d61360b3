import { Controller, Get } from '@nestjs/common';
import { ProjectId } from '../git-auth/dto/path-params';
import { ListAuditEventsApi } from './audit.api-docs';
import { AuditLog, type AuditListRequest } from './audit-log.service';
import { type AuditEventListDto, toAuditEventList } from './dto/audit-event.dto';
import { AuditListQuery } from './dto/audit-query';

@Controller('v1/:project_id/git/audit')
export class AuditController {
  constructor(private readonly log: AuditLog) {}

  @Get()
  @ListAuditEventsApi()
  async list(
    @ProjectId() projectId: string,
    @AuditListQuery() query: AuditListRequest,
  ): Promise<AuditEventListDto> {
    return toAuditEventList(await this.log.list(projectId, query));
  }
}
