// One runner for unit specs (beside the code) and end-to-end specs (test/).
// SWC strips types without type-checking, so `npm run typecheck` is part of CI.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  },
];

// Packages that ship only ES modules. Node (>= 20.19) require()s them; jest cannot, so SWC
// compiles them to CommonJS here. (@fastify/static, for the Swagger UI, uses content-disposition 3.)
const ESM_ONLY_PACKAGES = ['content-disposition'];
const swcToCommonJs = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/server/src', '<rootDir>/test', '<rootDir>/client', '<rootDir>/scripts'],
  testRegex: '(\\.spec|\\.e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '\\.browser-spec\\.ts$', '\\.services-spec\\.ts$', '\\.soak-spec\\.ts$'],
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: swcToCommonJs },
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/).*/node_modules/`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The server and the tests import the library by its package name; here that is the source.
  moduleNameMapper: {
    '^nest-live-notifications$': '<rootDir>/src/index.ts',
    '^nest-live-notifications/redis$': '<rootDir>/src/redis/index.ts',
    '^nest-live-notifications/prometheus$': '<rootDir>/src/metrics/prometheus-metrics.ts',
  },
  testTimeout: 20000,
};
