import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { PROVIDERS } from '../../src/git-auth/providers/registered-providers';

export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, instead of JSON.stringify(body). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  /** Every log line the service wrote, as raw JSON text. */
  readonly logs: string[];
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

/** A fixed key for tests only: sealing is real, the key is not secret. */
export const TEST_TOKEN_KEYS = `test-1:${Buffer.alloc(32, 7).toString('base64')}`;

/** Variables a test app must not inherit from the developer's shell. */
const ISOLATED_PREFIXES = [
  ...PROVIDERS.map((p) => `${p.envPrefix}_`),
  'AUTH_',
  'GIT_',
  'TOKEN_',
  'OAUTH_',
  'DB_',
  'DATABASE_',
  'RATE_LIMIT_',
  'PROVIDER_',
  'REFRESH_',
  'CREDENTIAL_',
  'EMBEDDED_',
  'REDIS_',
  'SHUTDOWN_',
  'REQUEST_',
  'REPO_',
  'METRICS_',
  'OTEL_',
  'DOCS_',
];

/**
 * Boots the real application (createApp, exactly as main.ts does) on 127.0.0.1 with an ephemeral port and the
 * given environment, capturing its log lines.
 */
export async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  for (const key of Object.keys(process.env)) {
    if (ISOLATED_PREFIXES.some((p) => key.startsWith(p))) delete process.env[key];
  }
  Object.assign(process.env, {
    LOG_LEVEL: 'debug',
    TOKEN_ENCRYPTION_KEYS: TEST_TOKEN_KEYS,
    // Tests create far more authorizations per minute than a real project; the rate limit has its own test.
    RATE_LIMIT_CREATE_PER_MINUTE: '100000',
    // Test databases are copies of a migrated template; the foundation test migrates at start-up instead.
    DB_MIGRATE_ON_START: 'false',
    ...env,
  });
  const logs: string[] = [];
  const app = await createApp({
    logDestination: { write: (line: string) => void logs.push(line) },
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    app,
    baseUrl,
    logs,
    async request<T>(
      method: string,
      path: string,
      options: RequestOptions = {},
    ): Promise<TestResponse<T>> {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | Buffer | undefined = options.rawBody;
      if (body === undefined && options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text && (response.headers.get('content-type') ?? '').includes('json'))
        parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed as T, text };
    },
    close: () => app.close(),
  };
}
