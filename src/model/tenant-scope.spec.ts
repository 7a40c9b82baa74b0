import fc from 'fast-check';
import {
  fitsUserIdColumns,
  idWithin,
  isTenantId,
  qualify,
  TENANT_ID_MAX_LENGTH,
  TENANT_NUMBER_MAX,
  TENANT_USER_ID_MAX_LENGTH,
  TenantScope,
  unqualify,
} from './tenant-scope';

// Ids as hostile as the rules allow: `:` and digits, which the encoding itself uses, come often.
const idText = fc.string({ unit: fc.constantFrom(':', '1', '0', '9', 'a', 'é', '😀', ' '), minLength: 1, maxLength: 12 });
const anyId = fc.oneof(idText, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }));
const tenantNumber = fc.integer({ min: 1, max: TENANT_NUMBER_MAX });

describe('tenant-scope', () => {
  it('leaves a plain id as it is without a tenant', () => {
    fc.assert(fc.property(anyId, (id) => qualify(undefined, id) === id));
  });

  it('property: distinct (tenant, id) pairs never give the same key', () => {
    fc.assert(
      fc.property(tenantNumber, anyId, tenantNumber, anyId, (tenantA, idA, tenantB, idB) => {
        fc.pre(tenantA !== tenantB || idA !== idB);
        return qualify(tenantA, idA) !== qualify(tenantB, idB);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: unqualify inverts qualify, and idWithin finds the id under its own tenant', () => {
    fc.assert(
      fc.property(tenantNumber, anyId, (number, id) => {
        const key = qualify(number, id);
        const parts = unqualify(key);
        return parts.tenantNumber === number && parts.id === id && idWithin('any tenant', key) === id;
      }),
      { numRuns: 2000 },
    );
  });

  it('ends the number at the first ":", whatever the id holds', () => {
    expect(qualify(3, 'user-42')).toBe('3:user-42');
    expect(unqualify('3:4:acme:u1')).toEqual({ tenantNumber: 3, id: '4:acme:u1' });
    expect(unqualify('12::')).toEqual({ tenantNumber: 12, id: ':' });
  });

  it('reads a key that does not start with a number and ":" as a plain id', () => {
    for (const plain of ['u1', ':u1', '01:u1', 'a1:u1', '-1:u1', '12345678901:u1', '1.5:u1']) {
      expect(unqualify(plain)).toEqual({ tenantNumber: undefined, id: plain });
    }
  });

  it('takes tenant ids of 1 to 100 characters that a database can store', () => {
    expect(isTenantId('acme')).toBe(true);
    expect(isTenantId('x'.repeat(TENANT_ID_MAX_LENGTH))).toBe(true);
    for (const bad of ['', 'x'.repeat(TENANT_ID_MAX_LENGTH + 1), 'a\u0000b', 42, null, undefined, ['acme'], { id: 'acme' }]) {
      expect(isTenantId(bad)).toBe(false);
    }
  });

  it('gives a user id of any tenant the same room in the 255-character columns: 244 characters', () => {
    expect(TENANT_USER_ID_MAX_LENGTH).toBe(244);
    expect(qualify(TENANT_NUMBER_MAX, 'u'.repeat(TENANT_USER_ID_MAX_LENGTH))).toHaveLength(255);
    expect(fitsUserIdColumns(undefined, 'u'.repeat(255))).toBe(true);
    for (const tenant of ['a', 'x'.repeat(TENANT_ID_MAX_LENGTH)]) {
      expect(fitsUserIdColumns(tenant, 'u'.repeat(244))).toBe(true);
      expect(fitsUserIdColumns(tenant, 'u'.repeat(245))).toBe(false);
    }
  });

  it('refuses a user id too long for a tenant, naming the field and the rule', () => {
    const scope = new TenantScope('org');
    expect(() => scope.checkUserId('u'.repeat(245), 'acme', 'senderId')).toThrow(
      'senderId is too long for its tenant: in a tenant, a user id takes at most 244 characters',
    );
    expect(new TenantScope(undefined).idOfKey('3:u1')).toBe('3:u1');
    expect(scope.idOfKey('3:u1')).toBe('u1');
  });
});
