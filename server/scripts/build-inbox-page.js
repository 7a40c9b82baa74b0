// Part of `npm run build` (after tsc): bundles the inbox page's script with the client SDK
// into dist/inbox-page/browser/inbox-app.js, where the compiled server serves it from.
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { BUILT_INBOX_APP, BUILT_SERVICE_WORKER, bundleInboxApp, bundleServiceWorker } = require('../dist/inbox-page/inbox-page-bundle');

Promise.all([bundleInboxApp(), bundleServiceWorker()]).then(
  ([script, worker]) => {
    mkdirSync(dirname(BUILT_INBOX_APP), { recursive: true });
    writeFileSync(BUILT_INBOX_APP, script);
    writeFileSync(BUILT_SERVICE_WORKER, worker);
    console.log(`inbox page: ${BUILT_INBOX_APP} (${Math.round(script.length / 1024)} KiB), service worker ${BUILT_SERVICE_WORKER}`);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
