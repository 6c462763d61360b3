import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { JwtKey } from './jwt-key';

export interface JwtSettings {
  readonly key: JwtKey;
  /** Claim listing the projects the token may act on: a string or an array of strings. */
  readonly projectClaim: string;
  readonly issuer?: string;
  readonly audience?: string;
}

type JwtVerification =
  { ok: true; subject: string; projectIds: readonly string[] } | { ok: false; reason: string };

/** Clocks of the issuer and of this service drift a little; more would stretch every token's lifetime. */
const JWT_CLOCK_TOLERANCE_SECONDS = 30;

/** Verifies X-Auth-Token JWTs: signature with the one configured key and algorithm, expiry, issuer, audience. */
export class JwtVerifier {
  constructor(private readonly settings: JwtSettings) {}

  async verify(token: string): Promise<JwtVerification> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.settings.key.key, {
        algorithms: [this.settings.key.algorithm],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
        // A token without an expiry would be valid forever once leaked.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return { ok: false, reason: failureReason(error) };
    }
    const projectIds = projectsOf(payload[this.settings.projectClaim]);
    if (projectIds === undefined) return { ok: false, reason: 'project_claim_missing' };
    return { ok: true, subject: payload.sub ?? '(no sub)', projectIds };
  }
}

function projectsOf(claim: unknown): readonly string[] | undefined {
  if (typeof claim === 'string' && claim !== '') return [claim];
  if (Array.isArray(claim) && claim.every((p): p is string => typeof p === 'string')) return claim;
  return undefined;
}

/** jose's error code (plus the failing claim), which never contains the token. */
function failureReason(error: unknown): string {
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.code}:${error.claim}`;
  if (error instanceof errors.JOSEError) return error.code;
  return 'invalid_token';
}
