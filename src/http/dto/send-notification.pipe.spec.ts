import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { RequestValidationPipe } from './request-validation.pipe';
import { SendNotificationDto } from './send-notification.dto';
import { isWellFormedSend, SendNotificationPipe } from './send-notification.pipe';

const METADATA: ArgumentMetadata = { type: 'body', metatype: SendNotificationDto };
const validationPipe = new RequestValidationPipe();

/** Names a plain object inherits: a field lookup that is not an own-key lookup finds them. */
const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__proto__',
  '__defineGetter__',
  'prototype',
];

/** Whether the validation pipe, which the fast check stands in for, accepts the body. */
async function validationPipeAccepts(body: unknown): Promise<boolean> {
  try {
    await validationPipe.transform(body, METADATA);
    return true;
  } catch (error) {
    if (error instanceof BadRequestException) return false;
    throw error;
  }
}

// Strings of any UTF-16 units: lone surrogates and variation selectors are where
// class-validator's length (validator.js isLength) differs from String#length.
const anyText = (constraints: fc.StringConstraints) => fc.string({ unit: 'binary', ...constraints });

/** `{"a":{"a":…{}…}}`: objects nested `depth` levels. */
const nestedObjects = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);

/** Each field of the DTO: values within its limits, and values just past them or beside them. */
const FIELDS: Record<string, { valid: fc.Arbitrary<unknown>; edges: fc.Arbitrary<unknown>[] }> = {
  userIds: {
    valid: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
    edges: [
      fc.array(fc.oneof(anyText({ maxLength: 3 }), anyText({ minLength: 250, maxLength: 260 }), fc.integer()), { maxLength: 4 }),
      fc.constant(Array.from({ length: 1001 }, (_, index) => `u${index}`)),
      fc.constant(['same', 'same']),
    ],
  },
  topic: { valid: fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/), edges: [fc.string(), fc.constant('x'.repeat(101))] },
  broadcast: { valid: fc.boolean(), edges: [] },
  deliverAt: {
    valid: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31') }).map((date) => date.toISOString()),
    edges: [
      fc.constantFrom(
        '2026-12-01T09:00:00+01:00',
        '2026-12-01T09:00+0100',
        '2026-12-01',
        '2026-12-01T09:00:00',
        '2026-12-01 09:00:00Z',
        'tomorrow',
      ),
    ],
  },
  type: { valid: fc.stringMatching(/^[a-z0-9._-]{1,100}$/), edges: [fc.string({ maxLength: 110 }), fc.constant('x'.repeat(101))] },
  title: {
    valid: fc.string({ minLength: 1, maxLength: 200 }),
    edges: [anyText({ maxLength: 3 }), anyText({ minLength: 198, maxLength: 203 })],
  },
  body: { valid: fc.string(), edges: [fc.constant(null), anyText({ minLength: 4998, maxLength: 5002 })] },
  data: {
    valid: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
    edges: [
      fc.constant(null),
      fc.constant({ blob: 'x'.repeat(16 * 1024) }),
      fc.constant({ blob: 'x'.repeat(16 * 1024 - 11) }),
      fc.array(fc.integer()),
      // The body may nest 32 levels, so data 31; and far past that, where a recursive walk overflows.
      fc.constantFrom(31, 32, 5000).map(nestedObjects),
    ],
  },
  priority: { valid: fc.constantFrom('low', 'normal', 'high'), edges: [fc.constant('urgent')] },
  ttlSeconds: {
    valid: fc.integer({ min: 1, max: 365 * 24 * 60 * 60 }),
    edges: [fc.integer({ min: -2, max: 1 }), fc.constant(365 * 24 * 60 * 60 + 1), fc.double()],
  },
  critical: { valid: fc.boolean(), edges: [fc.constantFrom(0, 1, 'true', null)] },
};
const FIELD_NAMES = Object.keys(FIELDS);
const offLimits = (name: string) => fc.oneof(...FIELDS[name].edges, fc.anything());
const mapFields = <T>(to: (name: string) => fc.Arbitrary<T>) => Object.fromEntries(FIELD_NAMES.map((name) => [name, to(name)]));

/** Bodies within every limit: ValidationPipe accepts them all. */
const validBody = fc.record(
  mapFields((name) => FIELDS[name].valid),
  { requiredKeys: ['type', 'title'] },
);
/** A valid body with one field, or one field the DTO lacks, set to something else. */
const oneFieldOff = fc
  .tuple(validBody, fc.constantFrom(...FIELD_NAMES, 'sneaky', ...PROTOTYPE_NAMES))
  .chain(([body, name]) => (Object.hasOwn(FIELDS, name) ? offLimits(name) : fc.anything()).map((value) => ({ ...body, [name]: value })));
/** Any subset of the fields, each mostly valid, some past its limits, some of any type at all. */
const anyFields = fc.record(
  mapFields((name) => fc.oneof({ arbitrary: FIELDS[name].valid, weight: 6 }, { arbitrary: offLimits(name), weight: 2 })),
  { requiredKeys: [] },
);
const sendBodies = fc.oneof(validBody, oneFieldOff, anyFields, fc.anything());

describe(isWellFormedSend.name, () => {
  it('accepts exactly the bodies ValidationPipe accepts', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(sendBodies, async (body) => {
        const expected = await validationPipeAccepts(body);
        expect(isWellFormedSend(body)).toBe(expected);
        if (expected) accepted += 1;
        else refused += 1;
      }),
      { numRuns: 3000 },
    );
    // Both answers came up often enough for the comparison to mean something (about a third
    // of the bodies are accepted).
    expect(Math.min(accepted, refused)).toBeGreaterThan(500);
  });

  it('accepts the bodies of the README and the bench', () => {
    expect(isWellFormedSend({ userIds: ['u1', 'u2'], type: 'expense.approved', title: 'Your expense was approved' })).toBe(true);
    expect(
      isWellFormedSend({ topic: 'finance', type: 'x', title: 't', body: null, data: { amount: 12 }, priority: 'high', ttlSeconds: 3600 }),
    ).toBe(true);
    expect(isWellFormedSend({ broadcast: true, type: 'x', title: 't', deliverAt: '2026-12-01T09:00:00Z' })).toBe(true);
  });

  it('refuses data nested past its depth limit without walking all of it (audit 3)', () => {
    const body = (depth: number) => ({ userIds: ['u1'], type: 't', title: 't', data: nestedObjects(depth) });
    expect(isWellFormedSend(body(31))).toBe(true);
    expect(isWellFormedSend(body(32))).toBe(false);
    expect(isWellFormedSend(body(100_000))).toBe(false);
  });

  it.each(PROTOTYPE_NAMES)('refuses a field named %s, as any field the DTO lacks (audit 2)', (name) => {
    for (const value of [1, null, 'x', {}]) {
      expect(isWellFormedSend(JSON.parse(`{"userIds":["u1"],"type":"t","title":"t","${name}":${JSON.stringify(value)}}`))).toBe(false);
    }
  });
});

describe(SendNotificationPipe.name, () => {
  const pipe = new SendNotificationPipe();

  it.each(PROTOTYPE_NAMES)('refuses a field named %s with a 400 naming it (audit 2)', async (name) => {
    const refusal = pipe.transform(JSON.parse(`{"userIds":["u1"],"type":"t","title":"t","${name}":1}`), METADATA);
    await expect(refusal).rejects.toMatchObject({ response: { statusCode: 400, message: [`property ${name} should not exist`] } });
  });

  it('passes a well-formed body on as it came', async () => {
    const body = { userIds: ['u1'], type: 'expense.approved', title: 'Approved', data: { id: 7 } };
    expect(await pipe.transform(body, METADATA)).toBe(body);
  });

  it("refuses any other with ValidationPipe's 400, naming the field", async () => {
    const refusal = pipe.transform({ userIds: ['u1'], type: 'Bad Type!', title: 'x'.repeat(201), sneaky: 1 }, METADATA);
    await expect(refusal).rejects.toThrow(BadRequestException);
    await expect(refusal).rejects.toMatchObject({
      response: {
        statusCode: 400,
        error: 'Bad Request',
        message: expect.arrayContaining([
          'property sneaky should not exist',
          'type must match [a-z0-9._-]{1,100}',
          'title must be shorter than or equal to 200 characters',
        ]),
      },
    });
  });
});
