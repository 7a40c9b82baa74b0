// The service suite: real PostgreSQL and Redis on this machine. `services` runs real server
// processes (`dist/main.js`, built by `npm run test:services` first) and stops and restarts
// the shared Redis; `e2e-on-postgres` runs end-to-end specs of the main suite again, each
// server on a fresh PostgreSQL database instead of a SQLite file.
const base = require('./jest.config');

const shared = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  moduleFileExtensions: base.moduleFileExtensions,
  moduleNameMapper: base.moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/'],
};

// The end-to-end specs of the main suite that run again on PostgreSQL, one per line.
const E2E_ON_POSTGRES = [
  'rest',
  'rest-inbox',
  'delivery',
  'handshake',
  'audiences',
  'time',
  'revocation',
  'sse',
  'expense-approval',
  'ids',
  'cursors',
  'idempotency-sweep',
  'table-naming',
  'retention',
  'user-data',
  'user-data-channels',
  'sent-notifications',
  'preferences',
  'preferences-suppression',
  'scheduled-sends',
  'scheduled-release-race',
  'long-poll',
  'channels-outbox',
  'channels-webhooks',
  'channels-email',
  'channels-push',
  'channels-operations',
  'inbox-state',
  'inbox-filters',
  'snooze',
  'snooze-release-race',
  'inbox-actions',
  'inbox-grouping',
  'tenants',
  'tenants-service',
  'sdk-inbox-model',
];

module.exports = {
  testTimeout: 90000,
  projects: [
    { ...shared, displayName: 'services', roots: ['<rootDir>/test/services'], testRegex: '\\.services-spec\\.ts$' },
    {
      ...shared,
      displayName: 'e2e-on-postgres',
      roots: ['<rootDir>/test'],
      testRegex: `/(${E2E_ON_POSTGRES.join('|')})\\.e2e-spec\\.ts$`,
      setupFiles: ['<rootDir>/test/services/support/use-postgres.ts'],
    },
  ],
};
