/**
 * The only door from the raw reference into the service's code: framework-free pieces whose output must be
 * identical on both sides (sealing format, validation patterns and their messages, request ids), and the one
 * statement `BENCH_RAW_FOLDED` makes the raw reference send as the service does. Nothing here
 * may pull in NestJS, Fastify or Prisma. If src/ moves these, only this file changes.
 */
export { AuthorizationSecrets } from '../../src/git-auth/crypto/authorization-secrets';
export { SecretSealer } from '../../src/git-auth/crypto/secret-sealer';
export { parseKeyRing } from '../../src/git-auth/crypto/key-ring';
export * as names from '../../src/git-auth/domain/names';
export { PROJECT_ID_PATTERN, PROJECT_ID_RULE } from '../../src/common/project-id';
export { REQUEST_ID_HEADER, requestIdFor } from '../../src/common/http/request-id';
export { MAX_PATH_PARAM_LENGTH } from '../../src/common/http/router-limits';
export { CONSUME_STATE_SQL as FOLDED_CONSUME_STATE } from '../../src/git-auth/persistence/oauth-state.sql';
