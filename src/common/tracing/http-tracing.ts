import type { FastifyInstance } from 'fastify';
import { UNMATCHED_ROUTE } from '../metrics/http-metrics';
import { tracingHooks } from './tracing-hooks';

/**
 * With tracing on, names each HTTP server span after its route template once Fastify has routed the request (the
 * HTTP instrumentation only sees the raw URL). With tracing off, nothing is registered.
 */
export function registerHttpTracing(fastify: FastifyInstance): void {
  const tracing = tracingHooks();
  if (tracing === undefined) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    tracing.setHttpRoute(request.routeOptions.url ?? UNMATCHED_ROUTE);
    done();
  });
}
