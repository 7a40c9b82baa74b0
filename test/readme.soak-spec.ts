import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from './support/test-server';

const ROOT = join(__dirname, '..');

/** The bash block of a README section, exactly as a reader copies it. */
function bashBlockOf(section: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${section}`);
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start === -1 || !block) throw new Error(`README.md has no bash block under "## ${section}"`);
  return block[1];
}

/** Runs a script in bash from the repository root; resolves with what it printed. */
function runBash(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so whatever it left running is stopped with it.
    const child = spawn('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const deadline = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is already gone: nothing was left running.
      }
      resolve({ code, output });
    });
  });
}

describe("README's minute-long tour", () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.remove());

  it('runs as written: Alice gets the notification live, her inbox lists it, read-all counts it', async () => {
    // A fresh database, so the tour's counts are its own; everything else is the block as printed.
    const { code, output } = await runBash(bashBlockOf('A minute-long tour'), {
      DATABASE_URL: `sqlite:${join(directory.path, 'tour.sqlite')}`,
    });
    expect(output).toMatch(/\{"id":"[0-9a-f-]{36}","recipients":1,"online":1,"suppressed":0\}/);
    expect(output).toContain('"event":"ready"');
    expect(output).toMatch(/"event":"notification","data":\{"id":"[0-9a-f-]{36}","cursor":"1","type":"expense.approved"/);
    expect(output).toMatch(/"items":\[\{"id":"[0-9a-f-]{36}","cursor":"1","type":"expense.approved"/);
    expect(output).toContain('{"count":1}');
    expect(output).toContain('"event":"unread","data":{"count":0,"unseen":0}');
    expect(code).toBe(0);
  });
});
