// The service suite: real PostgreSQL and Redis on this machine, real server processes
// (`dist/main.js`, built by `npm run test:services` first). One file at a time: the suites
// stop and restart the shared Redis.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/services'],
  testRegex: '\\.services-spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 90000,
  maxWorkers: 1,
};
