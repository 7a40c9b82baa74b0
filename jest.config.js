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

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/client', '<rootDir>/scripts'],
  testRegex: '(\\.spec|\\.e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '\\.browser-spec\\.ts$', '\\.services-spec\\.ts$', '\\.soak-spec\\.ts$'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
};
