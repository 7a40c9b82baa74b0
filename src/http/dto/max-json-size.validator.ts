import { registerDecorator, ValidationOptions } from 'class-validator';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../protocol/json-depth';

/**
 * Absent, or nested at most `maxDepth` levels and at most `maxBytes` bytes of UTF-8 when
 * serialized as JSON. The depth comes first: JSON.stringify recurses once per level, and a
 * value nested a few thousand levels (a 10 KB body) overflows the stack.
 */
export function fitsJsonSize(value: unknown, maxBytes: number, maxDepth = MAX_JSON_DEPTH): boolean {
  return value == null || (!nestsDeeperThan(value, maxDepth) && Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes);
}

/** The value, serialized as JSON, is at most `maxBytes` bytes of UTF-8, nested at most {@link MAX_JSON_DEPTH} levels. */
export function MaxJsonSize(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxJsonSize',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be at most ${maxBytes} bytes as JSON, nested at most ${MAX_JSON_DEPTH} levels`, ...options },
      validator: { validate: (value: unknown) => fitsJsonSize(value, maxBytes) },
    });
}
