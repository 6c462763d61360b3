import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogLine } from './support/logs';
import { freePort } from './support/free-port';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { startFakeProviders, USER, type FakeProviders } from './support/providers';
import { serviceEnv, startServiceProcess, type ServiceProcess } from './support/service-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const BASE = `/v1/${PROJECT}/git/auths`;
const SPAN_KIND = { server: 2, client: 3 } as const;

/** The OpenTelemetry packages a process loaded (`api`, `sdk-trace-node`…), from its module paths. */
function openTelemetryPackages(modulesFile: string): string[] {
  const paths = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];
  const names = paths.flatMap((p) => /node_modules\/@opentelemetry\/([^/]+)\//.exec(p)?.[1] ?? []);
  return [...new Set(names)].sort();
}

function traceparent(): { header: string; traceId: string; parentId: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${parentId}-01`, traceId, parentId };
}

async function stop(service: ServiceProcess): Promise<number | null> {
  service.child.kill('SIGTERM');
  return service.exited;
}

/**
 * Tracing is tested on the real entry point in a process of its own: the instrumentations patch modules as they
 * are loaded, which only main.ts's order (tracing first, then the application) makes work.
 */
// As in startup.e2e-spec.ts: each start of the service process (through ts-node) has taken over 30 s on the loaded
// 2-core machine, so the default bound would fail these tests for the machine's sake, not the service's.
jest.setTimeout(120_000);

describe('tracing', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  const receiver = new OtlpReceiver();
  let receiverUrl: string;
  let dir: string;

  beforeAll(async () => {
    [db, providers, receiverUrl] = await Promise.all([
      createTestDatabase(),
      startFakeProviders(),
      receiver.start(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'git-auth-tracing-'));
  });

  afterAll(async () => {
    await receiver.stop();
    await providers?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const personal = traceparent();
    const redirect = traceparent();
    let service: ServiceProcess;
    let listening: LogLine;
    let exitStatus: number | null;
    let personalToken: string;
    const modulesFile = () => join(dir, 'modules-on.json');
    let inTrace: ReceivedSpan[];

    beforeAll(async () => {
      const port = await freePort();
      service = startServiceProcess(
        {
          ...serviceEnv(db.url, port),
          ...providers.env,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
          OTEL_SERVICE_NAME: 'git-auth-under-test',
          // Nothing is exported before the shutdown: the spans arrive only if the shutdown flushes them.
          OTEL_BSP_SCHEDULE_DELAY: '60000',
        },
        { reportLoadedModulesTo: modulesFile() },
      );
      try {
        listening = await service.listening();
        const url = `http://127.0.0.1:${port}`;
        personalToken = providers.fakes.github.issuePersonalToken(USER);
        const created = await fetch(`${url}${BASE}/github/personal`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent: personal.header },
          body: JSON.stringify({ name: 'traced-hub', token: personalToken }),
        });
        expect(created.status).toBe(200);
        // A pasted secret in a query string must not reach a span.
        await fetch(`${url}${BASE}/github/redirect?tag=intl&code=pasted-secret-code`, {
          headers: { traceparent: redirect.header },
        });
        expect((await fetch(`${url}/health`)).status).toBe(200);
        exitStatus = await stop(service);
      } finally {
        service.kill();
      }
      inTrace = receiver.spans.filter((s) => s.traceId === personal.traceId);
    });

    it('logs where spans go, and flushes them at shutdown', () => {
      expect(listening.tracing).toBe(`OTLP to ${receiverUrl}/v1/traces`);
      expect(exitStatus).toBe(0);
      expect(receiver.spans.length).toBeGreaterThan(0);
    });

    it("continues the caller's trace (traceparent) with a server span named after the route", () => {
      const server = inTrace.filter((s) => s.kind === SPAN_KIND.server);
      expect(server).toHaveLength(1);
      expect(server[0]).toMatchObject({
        name: 'POST /v1/:project_id/git/auths/:repo_type/personal',
        parentSpanId: personal.parentId,
        // toMatchObject: these attributes among others.
        attributes: {
          'http.route': '/v1/:project_id/git/auths/:repo_type/personal',
          'http.response.status_code': 200,
        },
        resource: { 'service.name': 'git-auth-under-test' },
      });
    });

    it('has a client span for the provider call, under the server span', () => {
      const server = inTrace.find((s) => s.kind === SPAN_KIND.server)!;
      const calls = inTrace.filter((s) => s.name === 'github profile');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        kind: SPAN_KIND.client,
        parentSpanId: server.spanId,
        statusCode: 0,
        attributes: {
          'git_auth.provider': 'github',
          'git_auth.operation': 'profile',
          'git_auth.outcome': '2xx',
          'http.request.method': 'GET',
          'http.response.status_code': 200,
          'server.address': '127.0.0.1',
        },
      });
      expect(calls[0].attributes['url.full']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*user$/);
    });

    it('has spans for the database queries of the request, in the same trace', () => {
      const server = inTrace.find((s) => s.kind === SPAN_KIND.server)!;
      const queries = inTrace.filter((s) => s.attributes['db.system.name'] === 'postgresql');
      expect(queries.length).toBeGreaterThanOrEqual(2); // the name check and the insert, at least
      for (const query of queries) expect(query.parentSpanId).not.toBe('');
      expect(queries.some((s) => s.parentSpanId === server.spanId)).toBe(true);
      const statements = queries.map((s) => String(s.attributes['db.query.text'] ?? ''));
      // The insert is the persistence layer's own SQL (issue 14), no longer Prisma's generated text.
      expect(statements.some((sql) => /^\s*INSERT INTO authorizations\b/.test(sql))).toBe(true);
    });

    it('writes the trace and span ids into the log lines of a traced request', () => {
      const access = service.lines.find(
        (l) => l.msg === 'request completed' && l.traceId === personal.traceId,
      );
      expect(access).toMatchObject({ url: `${BASE}/github/personal`, statusCode: 200 });
      expect(access?.spanId).toMatch(/^[0-9a-f]{16}$/);
    });

    it('keeps secrets and pasted query values out of every exported span', () => {
      const exported = receiver.bodies.join('\n');
      expect(exported).not.toContain(personalToken);
      expect(exported).not.toContain('pasted-secret-code');
      const redirectSpan = receiver.spans.find(
        (s) => s.traceId === redirect.traceId && s.kind === SPAN_KIND.server,
      );
      expect(redirectSpan?.attributes['url.query']).toBe('tag=intl&code=[redacted]');
    });

    it('leaves health probes and scrapes untraced', () => {
      expect(receiver.spans.some((s) => s.attributes['url.path'] === '/health')).toBe(false);
    });

    it('loads the SDK and its instrumentations', () => {
      expect(openTelemetryPackages(modulesFile())).toEqual(
        expect.arrayContaining([
          'api',
          'exporter-trace-otlp-http',
          'instrumentation-http',
          'instrumentation-pg',
          'sdk-trace-node',
        ]),
      );
    });
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT: no OpenTelemetry SDK is loaded and nothing is exported', async () => {
    const before = receiver.bodies.length;
    const port = await freePort();
    const modulesFile = join(dir, 'modules-off.json');
    const service = startServiceProcess(
      { ...serviceEnv(db.url, port), ...providers.env },
      { reportLoadedModulesTo: modulesFile },
    );
    let exitStatus: number | null;
    const { header } = traceparent();
    try {
      const listening = await service.listening();
      expect(listening.tracing).toBe('off');
      const list = await fetch(`http://127.0.0.1:${port}${BASE}`, {
        headers: { traceparent: header },
      });
      expect(list.status).toBe(200);
      exitStatus = await stop(service);
    } finally {
      service.kill();
    }
    expect(exitStatus).toBe(0);
    // Only the API, which prom-client's process metrics require (for exemplars): without an SDK it does nothing.
    expect(openTelemetryPackages(modulesFile)).toEqual(['api']);
    expect(service.lines.filter((l) => 'traceId' in l || 'spanId' in l)).toEqual([]);
    expect(receiver.bodies.length).toBe(before);
  });
});
