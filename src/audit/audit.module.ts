import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit-log.service';
import { AuditTrail } from './audit-trail';
import { AuditEventRepository } from './persistence/audit-event.repository';
import { PrismaAuditEventRepository } from './persistence/prisma-audit-event.repository';
import { RecordingAuditTrail } from './recording-audit-trail';

/**
 * The audit trail (issue 12): import this module and inject AuditTrail to record an operation. It also serves
 * the project's trail at GET /v1/{project_id}/git/audit.
 */
@Module({
  controllers: [AuditController],
  providers: [
    { provide: AuditEventRepository, useClass: PrismaAuditEventRepository },
    { provide: AuditTrail, useClass: RecordingAuditTrail },
    AuditLog,
  ],
  exports: [AuditTrail],
})
export class AuditModule {}
