import fc from 'fast-check';

// Hostile JSON, generated as text: numbers JSON.stringify cannot write (1e999, 30 digits),
// escapes that JSON.parse turns into NUL and lone surrogates, keys every object inherits,
// nesting far past the limit, and wide arrays and objects. Shared by the property specs.

/** Names every plain object inherits from Object.prototype, which a lookup by key finds unless it asks for own keys. */
export const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'toLocaleString',
];

/** `[[…[]…]]`: JSON arrays nested `depth` levels. */
export const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Strings of any UTF-16 units (NUL, lone surrogates), as JSON string literals. */
export const anyStringText = fc.string({ unit: 'binary', maxLength: 30 }).map((text) => JSON.stringify(text));
export const hostileScalarText = fc.oneof(
  anyStringText,
  fc.constantFrom('"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"x\\udfff"', '"\\udbff\\udfff"', '""', `"${'x'.repeat(300)}"`),
  fc.constantFrom('1e999', '-1e999', '1e-400', '-0', '123456789012345678901234567890', '9007199254740993', '0.1', '-1', '0'),
  fc.integer().map(String),
  fc.constantFrom('null', 'true', 'false'),
);
/** Keys that no body or query of the module declares, named like what every object inherits. */
export const UNKNOWN_KEYS = [...PROTOTYPE_NAMES, '__proto__', 'prototype', '__lookupGetter__', 'propertyIsEnumerable'];
export const hostileKeyText = fc.oneof(
  fc.constantFrom(...UNKNOWN_KEYS, 'event', 'data', 'ids', 'token', 'userIds', 'type', 'title').map((key) => JSON.stringify(key)),
  anyStringText,
);
export const { hostileText } = fc.letrec<{ hostileText: string; arrayText: string; objectText: string }>((tie) => ({
  hostileText: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileScalarText, tie('arrayText'), tie('objectText')),
  arrayText: fc.array(tie('hostileText'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  objectText: fc
    .array(fc.tuple(hostileKeyText, tie('hostileText')), { maxLength: 4 })
    .map((entries) => `{${entries.map(([key, value]) => `${key}:${value}`).join(',')}}`),
}));
/** A value nested around the depth limit, or thousands of levels past it (up to 10 KB of arrays, 30 KB of objects). */
export const deepText = fc
  .tuple(fc.constantFrom(30, 31, 32, 33, 100, 5000), fc.boolean(), hostileScalarText)
  .map(([depth, arrays, inner]) =>
    arrays ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`,
  );
/** Arrays and objects a few thousand items wide (at most 10 KB). */
export const wideText = fc.constantFrom(
  `[${Array(3000).fill('0').join(',')}]`,
  `[${Array(1000).fill('"a"').join(',')}]`,
  `{${Array.from({ length: 600 }, (_, index) => `"k${index}":${index}`).join(',')}}`,
  `{${PROTOTYPE_NAMES.map((name) => `"${name}":{}`).join(',')}}`,
);
export const anyJsonText = fc.oneof(hostileText, deepText, wideText);
/** Text that is not JSON at all, or JSON with a raw control character. */
export const notJsonText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom('{"a":"\u0000"}', '{', '[1,]', "{'a':1}", ''),
);

/** Bytes as a percent-encoded query value. */
export const percentEncoded = (bytes: Uint8Array) => Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** Query values: numbers in and out of range, booleans, empty, any text and bytes that are not UTF-8. */
export const queryText = fc.oneof(
  fc.constantFrom(
    '1',
    '20',
    '100',
    '101',
    '0',
    '-1',
    '1e999',
    '1.5',
    '9999999999999999999',
    '99999999999999999999999',
    'true',
    'false',
    'TRUE',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }).map((text) => percentEncoded(Buffer.from(text))),
  // Bytes that are not UTF-8 at all, NUL and the encoding of a lone surrogate among them.
  fc
    .oneof(fc.uint8Array({ maxLength: 12 }), fc.constant(Uint8Array.from([0xed, 0xa0, 0x80])), fc.constant(Uint8Array.from([0])))
    .map(percentEncoded),
);

/** Query parameter names no query of the module declares (a 400 whatever the value). */
export const UNKNOWN_QUERY_KEYS = [...UNKNOWN_KEYS, 'limit[]', 'limit[a]', 'before[0]', 'a[b][c]', '__proto__[x]'];

/** Queries of `known` parameters (plus unknown and random ones); `mustRefuse` when one is unknown. */
export function queriesOf(known: readonly string[]) {
  const queryKey = fc.oneof(
    fc.constantFrom(...known).map((key) => ({ key, unknown: false })),
    fc.constantFrom(...UNKNOWN_QUERY_KEYS).map((key) => ({ key, unknown: true })),
    queryText.map((key) => ({ key, unknown: false })),
  );
  return fc.array(fc.tuple(queryKey, queryText), { maxLength: 5 }).map((pairs) => ({
    query: pairs.map(([{ key }, value]) => `${key}=${value}`).join('&'),
    mustRefuse: pairs.some(([{ unknown }]) => unknown),
  }));
}
