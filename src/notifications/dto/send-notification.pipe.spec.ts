import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { SendNotificationDto } from './send-notification.dto';
import { isWellFormedSend, SendNotificationPipe } from './send-notification.pipe';

const METADATA: ArgumentMetadata = { type: 'body', metatype: SendNotificationDto };
const validationPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** Whether ValidationPipe, which the fast check stands in for, accepts the body. */
async function validationPipeAccepts(body: unknown): Promise<boolean> {
  try {
    await validationPipe.transform(body, METADATA);
    return true;
  } catch (error) {
    if (error instanceof BadRequestException) return false;
    throw error;
  }
}

/** Mostly values within the limits, some just past them, some of any type at all. */
function field<T>(valid: fc.Arbitrary<T>, ...edges: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: 6 }, ...edges.map((arbitrary) => ({ arbitrary, weight: 1 })), { arbitrary: fc.anything(), weight: 1 });
}

// Strings of any UTF-16 units: lone surrogates and variation selectors are where
// class-validator's length (validator.js isLength) differs from String#length.
const anyText = (constraints: fc.StringConstraints) => fc.string({ unit: 'binary', ...constraints });

const sendBody = fc.record(
  {
    userIds: field(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.oneof(anyText({ maxLength: 3 }), anyText({ minLength: 250, maxLength: 260 }), fc.integer()), { maxLength: 4 }),
      fc.constant(Array.from({ length: 1001 }, (_, index) => `u${index}`)),
      fc.constant(['same', 'same']),
    ),
    topic: field(fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/), fc.string(), fc.constant('x'.repeat(101))),
    broadcast: field(fc.boolean()),
    deliverAt: field(
      fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31') }).map((date) => date.toISOString()),
      fc.constantFrom('2026-12-01T09:00:00+01:00', '2026-12-01T09:00+0100', '2026-12-01', '2026-12-01T09:00:00', '2026-12-01 09:00:00Z', 'tomorrow'),
    ),
    type: field(fc.stringMatching(/^[a-z0-9._-]{1,100}$/), fc.string({ maxLength: 110 }), fc.constant('x'.repeat(101))),
    title: field(fc.string({ minLength: 1, maxLength: 200 }), anyText({ maxLength: 3 }), anyText({ minLength: 198, maxLength: 203 })),
    body: field(fc.string(), fc.constant(null), anyText({ minLength: 4998, maxLength: 5002 })),
    data: field(
      fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
      fc.constant(null),
      fc.constant({ blob: 'x'.repeat(16 * 1024) }),
      fc.constant({ blob: 'x'.repeat(16 * 1024 - 11) }),
      fc.array(fc.integer()),
    ),
    priority: field(fc.constantFrom('low', 'normal', 'high'), fc.constant('urgent')),
    ttlSeconds: field(fc.integer({ min: 1, max: 365 * 24 * 60 * 60 }), fc.integer({ min: -2, max: 1 }), fc.constant(365 * 24 * 60 * 60 + 1), fc.double()),
  },
  { requiredKeys: [] },
);

// A field the DTO lacks, on one body in eight, so that most come down to their fields' own checks.
const sendBodies = fc
  .tuple(sendBody, fc.integer({ min: 1, max: 8 }), fc.anything())
  .map(([body, roll, sneaky]) => (roll === 8 ? { ...body, sneaky } : body));

describe(isWellFormedSend.name, () => {
  it('accepts exactly the bodies ValidationPipe accepts', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: sendBodies, weight: 9 }, { arbitrary: fc.anything(), weight: 1 }), async (body) => {
        const expected = await validationPipeAccepts(body);
        expect(isWellFormedSend(body)).toBe(expected);
        if (expected) accepted += 1;
        else refused += 1;
      }),
      { numRuns: 3000 },
    );
    // Both answers came up often enough for the comparison to mean something.
    expect(Math.min(accepted, refused)).toBeGreaterThan(100);
  });

  it('accepts the bodies of the README and the bench', () => {
    expect(isWellFormedSend({ userIds: ['u1', 'u2'], type: 'expense.approved', title: 'Your expense was approved' })).toBe(true);
    expect(isWellFormedSend({ topic: 'finance', type: 'x', title: 't', body: null, data: { amount: 12 }, priority: 'high', ttlSeconds: 3600 })).toBe(true);
    expect(isWellFormedSend({ broadcast: true, type: 'x', title: 't', deliverAt: '2026-12-01T09:00:00Z' })).toBe(true);
  });
});

describe(SendNotificationPipe.name, () => {
  const pipe = new SendNotificationPipe();

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
