import { registerDecorator, ValidationOptions } from 'class-validator';

/** Absent, or at most `maxBytes` bytes of UTF-8 when serialized as JSON. */
export function fitsJsonSize(value: unknown, maxBytes: number): boolean {
  return value == null || Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes;
}

/** The value, serialized as JSON, is at most `maxBytes` bytes of UTF-8. */
export function MaxJsonSize(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxJsonSize',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be at most ${maxBytes} bytes as JSON`, ...options },
      validator: { validate: (value: unknown) => fitsJsonSize(value, maxBytes) },
    });
}
