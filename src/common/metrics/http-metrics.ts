import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Metrics, RouteSeries } from './metrics';

/** The route label of requests no route matched (404): their URLs are whatever a client made up. */
export const UNMATCHED_ROUTE = '(unmatched)';

type OnResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;

/**
 * Times every request by its route template. Each route gets its own onResponse hook, made when the route is
 * registered and holding that route's series, so a request costs no route lookup, no label string and no URL
 * parsing; requests no route matched are counted by one global hook under UNMATCHED_ROUTE. Must be called before
 * the routes are registered.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  if (!metrics.enabled) return;
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const observe = observer(metrics, route.url);
    const existing = route.onResponse;
    route.onResponse =
      existing === undefined
        ? [observe]
        : [...(Array.isArray(existing) ? existing : [existing]), observe];
  });
  const unmatched = observer(metrics, UNMATCHED_ROUTE);
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.is404) unmatched(request, reply, done);
    else done();
  });
}

/** A route serves one method, or a few (Fastify adds HEAD to GET routes): one series each, made on first use. */
function observer(metrics: Metrics, route: string): OnResponse {
  const byMethod = new Map<string, RouteSeries>();
  return (request, reply, done) => {
    let series = byMethod.get(request.method);
    if (series === undefined) {
      series = metrics.routeSeries(route, request.method);
      byMethod.set(request.method, series);
    }
    series.observe(reply.statusCode, reply.elapsedTime / 1000);
    done();
  };
}
