// The slow suites: the real built server under SIGTERM, 10,000 connect/disconnect cycles,
// a slow consumer's memory. `npm run test:soak` builds first and runs them with --expose-gc.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.soak-spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180000,
};
