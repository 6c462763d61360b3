import type { FastifyReply, FastifyRequest } from 'fastify';

/** Only `tag` is known to be harmless; any other query value could be a code or token pasted by mistake. */
const LOGGABLE_QUERY_KEYS = new Set(['tag']);

export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const shown = [...params].map(
    ([k, v]) => `${k}=${LOGGABLE_QUERY_KEYS.has(k) ? v : '[redacted]'}`,
  );
  return `${url.slice(0, q)}?${shown.join('&')}`;
}

/** The access log line's fields, the request id first (where the other logger's mixin puts it). */
export function accessLogFields(request: FastifyRequest, reply: FastifyReply): object {
  return {
    requestId: request.id,
    method: request.method,
    url: loggableUrl(request.url),
    statusCode: reply.statusCode,
    responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    remoteAddress: request.ip,
  };
}
