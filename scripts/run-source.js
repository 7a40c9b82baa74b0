// Runs TypeScript sources in a child process the way jest does (SWC, decorators with metadata),
// for tests and scripts that run TypeScript sources (`server/src/main.ts`, `npm run token`).
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  });
  module._compile(code, filename);
};

// The server imports the library by its package name: from source, that is src/.
const Module = require('node:module');
const { join } = require('node:path');
const LIBRARY = {
  'nest-live-notifications': join(__dirname, '../src/index.ts'),
  'nest-live-notifications/redis': join(__dirname, '../src/redis/index.ts'),
  'nest-live-notifications/prometheus': join(__dirname, '../src/metrics/prometheus-metrics.ts'),
};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, LIBRARY[request] ?? request, ...rest);
};
