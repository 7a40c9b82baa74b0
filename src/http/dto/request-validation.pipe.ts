import { ArgumentMetadata, BadRequestException, Injectable, Type, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../protocol/json-depth';

/** How the module's REST bodies and queries are validated: unknown fields are a 400, values are typed. */
export const REQUEST_VALIDATION: ValidationPipeOptions = { whitelist: true, forbidNonWhitelisted: true, transform: true };

/**
 * `ValidationPipe` with {@link REQUEST_VALIDATION}, behind two checks of its own.
 *
 * Depth: a value nested more than {@link MAX_JSON_DEPTH} levels is a 400 before anything walks
 * it. ValidationPipe, class-transformer and class-validator recurse once per level, and a host's
 * body parser (V8's iterative JSON.parse) hands over 30,000 levels from a 60 KB body: a stack
 * overflow, a 500.
 *
 * Unknown fields, by own key. ValidationPipe alone lets a field named like an `Object.prototype`
 * member through: class-transformer skips a key that the new instance inherits a function for
 * (`toString`, `hasOwnProperty`…), ValidationPipe deletes `constructor`, `prototype` and
 * `__proto__` before validating, and class-validator's whitelist looks names up in a plain
 * object, where `constructor` is found. Such a body was accepted without its field instead of
 * refused like `"sneaky": 1`.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  private readonly fieldsByClass = new Map<Type, ReadonlySet<string>>();

  constructor() {
    super(REQUEST_VALIDATION);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      throw new BadRequestException(`The ${metadata.type} must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
    }
    const unknownFields = this.unknownFields(value, metadata.metatype);
    if (unknownFields.length === 0) return super.transform(value, metadata);
    // Named in class-validator's words, before whatever else is wrong with the known fields.
    const messages = unknownFields.map((name) => `property ${name} should not exist`);
    const knownFields = Object.fromEntries(Object.entries(value as object).filter(([name]) => !unknownFields.includes(name)));
    try {
      await super.transform(knownFields, metadata);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const { message } = error.getResponse() as { message: string | string[] };
      messages.push(...(Array.isArray(message) ? message : [message]));
    }
    throw new BadRequestException(messages);
  }

  /** The own keys of a plain object that its class does not declare (none for other values and classes without rules). */
  private unknownFields(value: unknown, metatype: Type | undefined): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof metatype !== 'function') return [];
    const fields = this.fieldsOf(metatype);
    if (fields.size === 0) return [];
    return Object.keys(value).filter((name) => !fields.has(name));
  }

  /** The properties that carry class-validator rules in `metatype`, the ones the whitelist admits. */
  private fieldsOf(metatype: Type): ReadonlySet<string> {
    let fields = this.fieldsByClass.get(metatype);
    if (!fields) {
      const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
      fields = new Set(rules.map((rule) => rule.propertyName));
      this.fieldsByClass.set(metatype, fields);
    }
    return fields;
  }
}
