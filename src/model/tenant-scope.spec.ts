import fc from 'fast-check';
import { fitsUserIdColumns, idWithin, isTenantId, qualify, TENANT_ID_MAX_LENGTH, unqualify } from './tenant-scope';

// Ids as hostile as the rules allow: `:` and digits, which the encoding itself uses, come often.
const idText = fc.string({ unit: fc.constantFrom(':', '1', '0', '9', 'a', 'é', '😀', ' '), minLength: 1, maxLength: 12 });
const anyId = fc.oneof(idText, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }));
const tenant = fc.oneof(idText, fc.string({ unit: 'grapheme', minLength: 1, maxLength: TENANT_ID_MAX_LENGTH }));

describe('tenant-scope', () => {
  it('leaves a plain id as it is without a tenant', () => {
    fc.assert(fc.property(anyId, (id) => qualify(undefined, id) === id && qualify('', id) === id));
  });

  it('property: distinct (tenant, id) pairs never give the same key', () => {
    fc.assert(
      fc.property(tenant, anyId, tenant, anyId, (tenantA, idA, tenantB, idB) => {
        fc.pre(tenantA !== tenantB || idA !== idB);
        return qualify(tenantA, idA) !== qualify(tenantB, idB);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: unqualify inverts qualify, and idWithin finds the id under its own tenant', () => {
    fc.assert(
      fc.property(tenant, anyId, (tenantId, id) => {
        const key = qualify(tenantId, id);
        const parts = unqualify(key);
        return parts.tenantId === tenantId && parts.id === id && idWithin(tenantId, key) === id;
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a key that is not a qualified one as a plain id', () => {
    for (const plain of ['u1', ':a:u1', '0:a:u1', '01:a:u1', '5:ab:u1', '2:ab', '1234:a:b']) {
      expect(unqualify(plain)).toEqual({ tenantId: undefined, id: plain });
    }
    expect(unqualify('2:a::u')).toEqual({ tenantId: 'a:', id: 'u' });
  });

  it('takes tenant ids of 1 to 100 characters that a database can store', () => {
    expect(isTenantId('acme')).toBe(true);
    expect(isTenantId('x'.repeat(TENANT_ID_MAX_LENGTH))).toBe(true);
    for (const bad of ['', 'x'.repeat(TENANT_ID_MAX_LENGTH + 1), 'a\u0000b', 42, null, undefined, ['acme'], { id: 'acme' }]) {
      expect(isTenantId(bad)).toBe(false);
    }
  });

  it('keeps a qualified user id within the 255-character columns', () => {
    const longest = 'x'.repeat(TENANT_ID_MAX_LENGTH);
    expect(fitsUserIdColumns(undefined, 'u'.repeat(255))).toBe(true);
    expect(fitsUserIdColumns(longest, 'u'.repeat(150))).toBe(true);
    expect(fitsUserIdColumns(longest, 'u'.repeat(151))).toBe(false);
  });
});
