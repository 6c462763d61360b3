// @ts-check
/**
 * Four projects: `unit` (pure logic, next to the code), `e2e` (the real AppModule over HTTP, a real
 * PostgreSQL, fake providers on 127.0.0.1), `reliability` (faults and load, slower) and `browser` (Chromium
 * driving the development entry: sandbox, callback page, Swagger UI). `npm test` runs the first two,
 * `npm run test:reliability` and `npm run test:browser` one each.
 */

// ESM-only packages: Jest on Node 20 cannot require() ESM, so ts-jest compiles them to CommonJS.
const ESM_PACKAGES = ['@prisma/schema-engine-wasm', 'oauth4webapi', 'jose'];

/** @type {import('ts-jest').TsJestTransformerOptions} */
const tsJest = { tsconfig: '<rootDir>/tsconfig.spec.json' };
/** @type {import('ts-jest').TsJestTransformerOptions} */
const esmToCjs = {
  tsconfig: { allowJs: true, module: 'commonjs', target: 'es2023', isolatedModules: true },
};

/** @type {Partial<import('jest').Config>} */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', tsJest],
    [`^.+/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['ts-jest', esmToCjs],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};

/** @type {import('jest').Config} */
module.exports = {
  // e2e tests talk to PostgreSQL and fake servers on a shared, noisy machine: generous, never a speed target.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/sandbox/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    // npm run test:reliability (not npm test): faults, fuzzing at scale, shutdown of a real process. Each file
    // bounds its own time and prints what it measured.
    {
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    // npm run test:browser (builds the development entry first): Debian's Chromium through playwright-core.
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
