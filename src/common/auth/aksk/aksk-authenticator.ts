import type { Authentication, CallerRequest } from '../caller';
import type { AccessKey } from './access-keys-file';
import { verifyAkskSignature } from './aksk-verifier';

const NO_BODY = Buffer.alloc(0);

/** Checks `Authorization: SDK-HMAC-SHA256 ...` against the configured access keys. */
export class AkskAuthenticator {
  constructor(
    private readonly keys: ReadonlyMap<string, AccessKey>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  authenticate(request: CallerRequest): Authentication {
    const queryAt = request.url.indexOf('?');
    const result = verifyAkskSignature({
      method: request.method,
      path: queryAt === -1 ? request.url : request.url.slice(0, queryAt),
      query: queryAt === -1 ? '' : request.url.slice(queryAt + 1),
      headers: request.headers,
      body: request.rawBody ?? NO_BODY,
      lookupSecret: (ak) => this.keys.get(ak)?.sk,
      now: this.now(),
    });
    if (!result.ok) return { ok: false, scheme: 'aksk', reason: result.reason };
    const key = this.keys.get(result.ak);
    if (key === undefined) return { ok: false, scheme: 'aksk', reason: 'unknown_access_key' };
    return { ok: true, caller: { scheme: 'aksk', subject: key.ak, projectIds: key.projectIds } };
  }
}
