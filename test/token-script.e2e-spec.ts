import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'jsonwebtoken';
import { createTokenVerifier } from '../src/auth/create-token-verifier';
import { InvalidTokenException } from '../src/auth/invalid-token.exception';
import { TokenVerifier } from '../src/auth/token-verifier';
import { TenantTokenVerifier } from '../src/auth/tenant-token-verifier';
import { DEVELOPMENT_JWT_SECRET } from '../server/src/server-settings';
import { TEST_SECRET } from './support/tokens';

const ROOT = join(__dirname, '..');

/** Runs `npm run -s token -- <args>` as the README does, with exactly this environment. */
async function runTokenScript(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '-s', 'token', '--', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr };
  }
}

/** The verifier's answer as a promise, whether it throws or rejects. */
const verified = async (verifier: TokenVerifier, token: string) => verifier.verify(token);

describe('npm run token', () => {
  // Concurrent: each case is a process start, mostly waiting on module loading.
  it.concurrent('prints a one-hour user token signed with JWT_SECRET that the server accepts', async () => {
    const run = await runTokenScript(['alice'], { JWT_SECRET: TEST_SECRET });
    expect(run.code).toBe(0);
    const principal = await createTokenVerifier({ secret: TEST_SECRET }).verify(run.stdout);
    expect(principal.userId).toBe('alice');
    expect([...principal.scopes]).toEqual([]);
    const { iat, exp } = decode(run.stdout) as { iat: number; exp: number };
    expect(exp - iat).toBe(3600);
  });

  it.concurrent('adds the send and admin scopes and the requested lifetime', async () => {
    const run = await runTokenScript(['backend', '--send', '--admin', '--ttl', '90'], { JWT_SECRET: TEST_SECRET });
    const principal = await createTokenVerifier({ secret: TEST_SECRET }).verify(run.stdout);
    expect(principal.userId).toBe('backend');
    expect([...principal.scopes].sort()).toEqual(['notifications:admin', 'notifications:send']);
    const { iat, exp } = decode(run.stdout) as { iat: number; exp: number };
    expect(exp - iat).toBe(90);
  });

  it.concurrent('carries JWT_ISSUER and JWT_AUDIENCE, so a server that requires them accepts it', async () => {
    const env = { JWT_SECRET: TEST_SECRET, JWT_ISSUER: 'https://id.example.test', JWT_AUDIENCE: 'notifications' };
    const run = await runTokenScript(['carol'], env);
    const verifier = createTokenVerifier({ secret: TEST_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });
    expect((await verifier.verify(run.stdout)).userId).toBe('carol');
    const plain = await runTokenScript(['carol'], { JWT_SECRET: TEST_SECRET });
    await expect(verified(verifier, plain.stdout)).rejects.toThrow(InvalidTokenException);
  });

  it.concurrent('signs with the development secret when JWT_SECRET is unset', async () => {
    const run = await runTokenScript(['dave']);
    expect((await createTokenVerifier({ secret: DEVELOPMENT_JWT_SECRET }).verify(run.stdout)).userId).toBe('dave');
    await expect(verified(createTokenVerifier({ secret: TEST_SECRET }), run.stdout)).rejects.toThrow(InvalidTokenException);
  });

  it.concurrent('puts --tenant in the TENANT_CLAIM claim, so a server with tenancy accepts it', async () => {
    const run = await runTokenScript(['frank', '--tenant', 'acme'], { JWT_SECRET: TEST_SECRET, TENANT_CLAIM: 'org' });
    // The server's tenants table, as the verifier sees it: acme has number 3.
    const numbers = { knownNumber: () => undefined, number: async (tenantId: string) => (tenantId === 'acme' ? 3 : 4) };
    const verifier = new TenantTokenVerifier(createTokenVerifier({ secret: TEST_SECRET }), 'org', numbers);
    expect(await verifier.verify(run.stdout)).toMatchObject({ tenantId: 'acme', userId: '3:frank' });
  });

  it.concurrent.each([
    ['no user id', ['--send'], /usage: npm run token/],
    ['a tenant without TENANT_CLAIM', ['erin', '--tenant', 'acme'], /--tenant needs TENANT_CLAIM/],
    ['a lifetime that is not a number', ['erin', '--ttl', 'soon'], /--ttl must be a whole number of seconds/],
    ['a lifetime of zero', ['erin', '--ttl', '0'], /--ttl must be a whole number of seconds/],
  ])('refuses %s with exit code 2 and a usage line, no token', async (_, args, message) => {
    const run = await runTokenScript(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
