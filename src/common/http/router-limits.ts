/**
 * The longest path parameter the router takes (Fastify's `maxParamLength`; a longer one is 0400 "The request path
 * is not valid" before routing): a 1,024-character repository path, percent-encoded up to three times as long.
 */
export const MAX_PATH_PARAM_LENGTH = 3 * 1024;
