import { preflightConfiguration } from './preflight';

const KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const thrown = (env: NodeJS.ProcessEnv): string => {
  try {
    preflightConfiguration(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('preflightConfiguration', () => {
  it('accepts a complete configuration, and no configuration at all (embedded database, development)', () => {
    expect(() =>
      preflightConfiguration({
        DATABASE_URL: 'postgresql://u@db/x',
        TOKEN_ENCRYPTION_KEYS: KEYS,
        AUTH_MODE: 'none',
      }),
    ).not.toThrow();
    expect(() => preflightConfiguration({ AUTH_MODE: 'none' })).not.toThrow();
  });

  it('reports every problem at once, each with its variable', () => {
    const message = thrown({
      DATABASE_URL: 'postgresql://u@db/x',
      PORT: 'eighty',
      METRICS_TOKEN: 'short',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      GITEA_CLIENT_ID: 'client-without-secret',
      GIT_CA_FILE: '/nonexistent/ca.pem',
    });
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
    for (const variable of [
      'PORT',
      'AUTH_MODE',
      'METRICS_TOKEN',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'GITEA_CLIENT_SECRET',
      'GIT_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)',
      'TOKEN_ENCRYPTION_KEYS: required with DATABASE_URL',
    ])
      expect(message).toContain(variable);
  });

  it('checks given token keys even without DATABASE_URL', () => {
    expect(thrown({ AUTH_MODE: 'none', TOKEN_ENCRYPTION_KEYS: 'k1:tooshort' })).toContain(
      'TOKEN_ENCRYPTION_KEYS',
    );
  });
});
