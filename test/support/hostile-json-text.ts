import fc from 'fast-check';

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

// Hostile JSON, generated as text: numbers JSON.stringify cannot write (1e999, 30 digits),
// escapes that JSON.parse turns into NUL and lone surrogates, keys every object inherits,
// nesting far past the limit, and wide arrays and objects.

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
