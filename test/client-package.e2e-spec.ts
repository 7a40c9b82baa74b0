import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { send } from './support/http';
import { startServer, temporaryDirectory, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

const ROOT = join(__dirname, '..');
const run = promisify(execFile);

/**
 * The client SDK as another project gets it: `npm pack` in client/ (which runs
 * `npm run build:client`), the tarball unpacked into a project's node_modules, then used
 * from CommonJS, from an ES module, through a bundler, and from TypeScript.
 */
describe('The packed client SDK', () => {
  const project = temporaryDirectory();
  let files: string[];
  let server: TestServer;

  beforeAll(async () => {
    const packed = await run('npm', ['pack', '--json', '--pack-destination', project.path], { cwd: join(ROOT, 'client') });
    const [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = tarball.files.map((file) => file.path);
    const installed = join(project.path, 'node_modules', 'nest-live-notifications-client');
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', join(project.path, tarball.filename), '-C', installed, '--strip-components=1']);
    server = await startServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    project.remove();
  });

  /** Runs a consumer script from the project; it prints the title of the first notification. */
  async function consume(fileName: string, source: string, userId: string): Promise<string> {
    writeFileSync(join(project.path, fileName), source);
    const { stdout } = await run(process.execPath, [fileName], {
      cwd: project.path,
      timeout: 15_000,
      env: { PATH: process.env.PATH ?? '', SERVER_URL: server.baseUrl, TOKEN: tokenFor(userId), WS_MODULE: require.resolve('ws') },
    });
    return stdout.trim();
  }

  it('holds ES modules with declarations and CommonJS, and no sources, specs or test helpers', () => {
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js']),
    );
    // Nothing else: a spec (`*.spec.js`), a helper under testing/ or a source .ts would show here.
    expect(files.filter((path) => !/^dist\/(esm|cjs)\/[\w-]+\.(js|d\.ts)$/.test(path))).toEqual(['README.md', 'package.json']);
  });

  it('delivers a notification to a CommonJS consumer in Node', async () => {
    await send(server.baseUrl, senderToken(), { userIds: ['sdk-cjs'], title: 'to require()' });
    const source = `
      const { connect } = require('nest-live-notifications-client');
      const { WebSocket } = require(process.env.WS_MODULE);
      const client = connect({ url: process.env.SERVER_URL, token: process.env.TOKEN, WebSocket });
      client.on('notification', (notification) => { console.log(notification.title); client.close(); });
    `;
    expect(await consume('consumer.cjs', source, 'sdk-cjs')).toBe('to require()');
  });

  it('delivers a notification to an ES module consumer in Node', async () => {
    await send(server.baseUrl, senderToken(), { userIds: ['sdk-esm'], title: 'to import' });
    const source = `
      import { connect, CloseCode } from 'nest-live-notifications-client';
      const { WebSocket } = (await import(process.env.WS_MODULE)).default;
      const client = connect({ url: process.env.SERVER_URL, token: process.env.TOKEN, WebSocket });
      client.on('notification', (notification) => { console.log(notification.title); client.close(); });
      if (CloseCode.AccessRevoked !== 4403) throw new Error('CloseCode missing');
    `;
    expect(await consume('consumer.mjs', source, 'sdk-esm')).toBe('to import');
  });

  it('bundles for the browser from the ES modules', async () => {
    const esbuild = await import('esbuild');
    const entry = join(project.path, 'page.js');
    writeFileSync(entry, `import { connect } from 'nest-live-notifications-client';\nconnect({ url: '/', token: 't' });\n`);
    const result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: project.path,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('node_modules/nest-live-notifications-client/dist/esm/notification-client.js');
    expect(inputs.filter((input) => input.includes('/dist/cjs/'))).toEqual([]);
  });

  it.each([
    ['Bundler', ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ES2022],
    ['Node16', ts.ModuleResolutionKind.Node16, ts.ModuleKind.Node16],
  ])('gives TypeScript its types (moduleResolution %s): a right use compiles, a wrong one does not', (name, moduleResolution, module) => {
    const consumer = join(project.path, `consumer-${name}.mts`);
    writeFileSync(
      consumer,
      `import { connect, type Notification } from 'nest-live-notifications-client';
const client = connect({ url: '/', token: () => 'jwt', lostSessionWindowMs: 2000 });
client.on('notification', (notification: Notification) => console.log(notification.cursor));
const state: 'connecting' | 'open' | 'closed' = client.state;
// @ts-expect-error: backoffCapMs is a number
connect({ url: '/', token: 'jwt', backoffCapMs: 'soon' });
export { state };
`,
    );
    const program = ts.createProgram([consumer], {
      module,
      moduleResolution,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      strict: true,
      noEmit: true,
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
