import { DataSource } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { TEST_SECRET, tokenFor } from '../../test/support/tokens';
import { TenantDirectory } from '../persistence/tenant-directory';
import { UnitOfWork } from '../persistence/unit-of-work';
import { createTokenVerifier } from './create-token-verifier';
import { InvalidTokenException } from './invalid-token.exception';
import { TenantTokenVerifier } from './tenant-token-verifier';

describe(TenantTokenVerifier.name, () => {
  let database: DataSource;
  let verifier: TenantTokenVerifier;

  beforeEach(async () => {
    database = await migratedSqliteDatabase();
    // The module's own stack: the caching JWT verifier, tenants numbered in the database.
    verifier = new TenantTokenVerifier(createTokenVerifier({ secret: TEST_SECRET }), 'org', new TenantDirectory(new UnitOfWork(database)));
  });
  afterEach(() => database.destroy());

  it("keys the user by the tenant's number, the first sighting numbering the tenant", async () => {
    const acme = await verifier.verify(tokenFor('alice', { claims: { org: 'acme' } }));
    const globex = await verifier.verify(tokenFor('alice', { claims: { org: 'globex' } }));
    expect(acme).toMatchObject({ tenantId: 'acme', userId: '1:alice' });
    expect(globex).toMatchObject({ tenantId: 'globex', userId: '2:alice' });
  });

  it('scopes a token once: a repeat gets the same principal, a new token its own', async () => {
    const token = tokenFor('sender', { claims: { org: 'acme' }, scope: 'notifications:send' });
    const first = await verifier.verify(token);
    // The tenant is known now: no query, and the same object as before.
    expect(verifier.verify(token)).toBe(first);
    const other = verifier.verify(tokenFor('sender', { claims: { org: 'acme' }, expiresIn: 600 }));
    expect(other).not.toBe(first);
    expect(other).toMatchObject({ tenantId: 'acme', userId: first.userId });
  });

  it('refuses a token without the claim, or with a claim that is not a tenant id, every time', async () => {
    for (const claims of [{}, { org: 42 }, { org: '' }]) {
      const token = tokenFor('alice', { claims });
      for (let attempt = 0; attempt < 2; attempt++) expect(() => verifier.verify(token)).toThrow(InvalidTokenException);
    }
  });
});
