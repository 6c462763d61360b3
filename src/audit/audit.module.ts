import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail';
import { AuditEventRepository } from './persistence/audit-event.repository';
import { PrismaAuditEventRepository } from './persistence/prisma-audit-event.repository';
import { RecordingAuditTrail } from './recording-audit-trail';

/** The audit trail (issue 12): import this module and inject AuditTrail to record an operation. */
@Module({
  providers: [
    { provide: AuditEventRepository, useClass: PrismaAuditEventRepository },
    { provide: AuditTrail, useClass: RecordingAuditTrail },
  ],
  exports: [AuditTrail],
})
export class AuditModule {}
