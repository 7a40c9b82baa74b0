// Prints a JWT for trying the server: npm run token -- <userId> [--send] [--admin] [--ttl <seconds>] [--tenant <id>]
// Signs with JWT_SECRET, or the development secret the server uses when none is set.
import { sign } from 'jsonwebtoken';
import { DEVELOPMENT_JWT_SECRET } from '../server/src/server-settings';

const USAGE = 'usage: npm run token -- <userId> [--send] [--admin] [--ttl <seconds>] [--tenant <id>]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const args = process.argv.slice(2);
const userId = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--ttl' && args[index - 1] !== '--tenant');
if (!userId) fail(USAGE);
const ttlIndex = args.indexOf('--ttl');
const ttlSeconds = ttlIndex === -1 ? 3600 : Number(args[ttlIndex + 1]);
// jsonwebtoken would throw a stack trace at a bad expiresIn; say what to fix instead.
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) fail(`--ttl must be a whole number of seconds above 0\n${USAGE}`);
const scopes = [args.includes('--send') && 'notifications:send', args.includes('--admin') && 'notifications:admin'];
const scope = scopes.filter(Boolean).join(' ');
const claims: Record<string, unknown> = { sub: userId, ...(scope ? { scope } : {}) };
// The tenant goes in the claim the server reads it from (TENANT_CLAIM).
const tenantIndex = args.indexOf('--tenant');
if (tenantIndex !== -1) {
  const tenantClaim = process.env.TENANT_CLAIM;
  if (!tenantClaim) fail(`--tenant needs TENANT_CLAIM, the claim the server reads the tenant from\n${USAGE}`);
  const tenantId = args[tenantIndex + 1];
  if (!tenantId || tenantId.startsWith('--')) fail(`--tenant needs a tenant id\n${USAGE}`);
  claims[tenantClaim] = tenantId;
}
if (process.env.JWT_ISSUER) claims.iss = process.env.JWT_ISSUER;
if (process.env.JWT_AUDIENCE) claims.aud = process.env.JWT_AUDIENCE;
process.stdout.write(sign(claims, process.env.JWT_SECRET || DEVELOPMENT_JWT_SECRET, { algorithm: 'HS256', expiresIn: ttlSeconds }) + '\n');
