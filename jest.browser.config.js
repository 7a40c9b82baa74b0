// `npm run test:browser`: the inbox page in real headless Chromium (/usr/bin/chromium, driven
// by playwright-core). Kept apart from `npm test`, which needs no browser.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.browser-spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
  maxWorkers: 1,
};
