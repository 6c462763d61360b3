import { Injectable } from '@nestjs/common';
import { type AuditEntry, AuditTrail } from '../audit/audit-trail';
import { ERRORS } from '../common/errors/error-codes';
import { toAppError } from '../common/errors/to-app-error';
import { CredentialService, type GitCredentialResult } from './credential.service';

/** The credential endpoint acts on the authorization itself, not on a repository. */
const NO_TARGET = Object.freeze({});

/**
 * The credential endpoint: a clone credential, recorded in the audit trail before it leaves. If the record cannot
 * be written, no token is returned (503). A refusal (unknown name, authorization to renew, host no longer
 * allowed, provider down…) is recorded as failed with the code the caller gets; if that record cannot be
 * written, the refusal stands (nothing was handed out).
 */
@Injectable()
export class CredentialHandOut {
  constructor(
    private readonly credentials: CredentialService,
    private readonly audit: AuditTrail,
  ) {}

  async handOut(projectId: string, name: string): Promise<GitCredentialResult> {
    const entry: AuditEntry = {
      projectId,
      authorizationName: name,
      operation: 'showCredential',
      target: NO_TARGET,
    };
    let result: GitCredentialResult;
    try {
      result = await this.credentials.credential(projectId, name);
    } catch (error) {
      const code = toAppError(error)?.code ?? ERRORS.INTERNAL.code;
      // The trail logs a failed write itself; the caller's answer is the refusal either way.
      await this.audit.record(entry, 'failed', code).catch(() => undefined);
      throw error;
    }
    // One INSERT, and only then the token: a failure here is a 503 without it.
    await this.audit.record(entry, 'succeeded');
    return result;
  }
}
