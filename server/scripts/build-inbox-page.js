// Part of `npm run build` (after tsc): bundles the inbox page's script with the client SDK
// into dist/inbox-page/browser/inbox-app.js, where the compiled server serves it from.
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { BUILT_INBOX_APP, bundleInboxApp } = require('../dist/inbox-page/inbox-page-bundle');

bundleInboxApp().then(
  (script) => {
    mkdirSync(dirname(BUILT_INBOX_APP), { recursive: true });
    writeFileSync(BUILT_INBOX_APP, script);
    console.log(`inbox page: ${BUILT_INBOX_APP} (${Math.round(script.length / 1024)} KiB)`);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
