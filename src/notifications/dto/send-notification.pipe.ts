import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import {
  arrayMaxSize,
  arrayMinSize,
  isBoolean,
  isIn,
  isInt,
  isISO8601,
  isObject,
  isString,
  length,
  matches,
  max,
  maxLength,
  min,
} from 'class-validator';
import { TOPIC_PATTERN } from '../notification-audience';
import { NOTIFICATION_PRIORITIES } from '../notification.view';
import { isUserId } from '../user-id';
import { fitsJsonSize } from './max-json-size.validator';
import { SEND_LIMITS, SendNotificationDto } from './send-notification.dto';

/** How the module's REST bodies and queries are validated: unknown fields are a 400, values are typed. */
export const REQUEST_VALIDATION: ValidationPipeOptions = { whitelist: true, forbidNonWhitelisted: true, transform: true };

type FieldCheck = (value: unknown) => boolean;

/**
 * The decorators of {@link SendNotificationDto}, one check per field, made of class-validator's
 * own functions so that each accepts exactly what its decorators accept. `null` and
 * `undefined` pass an optional field, as `@IsOptional()` lets them.
 */
const OPTIONAL_FIELDS: Record<string, FieldCheck> = {
  userIds: (value) =>
    Array.isArray(value) &&
    arrayMinSize(value, 1) &&
    arrayMaxSize(value, SEND_LIMITS.maxRecipients) &&
    value.every(isUserId) &&
    // arrayUnique's answer for strings, in linear time (it compares every pair).
    new Set(value).size === value.length,
  topic: (value) => isString(value) && matches(value, TOPIC_PATTERN),
  broadcast: (value) => isBoolean(value),
  deliverAt: (value) => isISO8601(value, SEND_LIMITS.iso8601) && matches(value as string, SEND_LIMITS.zonedTime),
  body: (value) => isString(value) && maxLength(value, SEND_LIMITS.maxBodyLength),
  data: (value) => isObject(value) && fitsJsonSize(value, SEND_LIMITS.maxDataBytes),
  priority: (value) => isIn(value, NOTIFICATION_PRIORITIES),
  ttlSeconds: (value) => isInt(value) && min(value, 1) && max(value, SEND_LIMITS.maxTtlSeconds),
};
const REQUIRED_FIELDS: Record<string, FieldCheck> = {
  type: (value) => isString(value) && matches(value, SEND_LIMITS.typePattern),
  title: (value) => isString(value) && length(value, SEND_LIMITS.titleLength.min, SEND_LIMITS.titleLength.max),
};

/**
 * True when `ValidationPipe` would accept `body` as a {@link SendNotificationDto}: a plain
 * object with both required fields, no field the DTO lacks, and every field within its limits.
 */
export function isWellFormedSend(body: unknown): body is SendNotificationDto {
  if (typeof body !== 'object' || body === null) return false;
  const prototype = Object.getPrototypeOf(body);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const fields = body as Record<string, unknown>;
  for (const name in REQUIRED_FIELDS) {
    if (!REQUIRED_FIELDS[name](fields[name])) return false;
  }
  for (const name of Object.keys(fields)) {
    const check = OPTIONAL_FIELDS[name];
    if (check) {
      if (fields[name] != null && !check(fields[name])) return false;
    } else if (!Object.hasOwn(REQUIRED_FIELDS, name)) {
      return false;
    }
  }
  return true;
}

/**
 * Validates the body of `POST /notifications`. A well-formed body, nearly every one, is checked
 * field by field and passed on as it came; any other goes through `ValidationPipe`, so a refusal
 * is class-validator's 400 with its messages. ValidationPipe's metadata walk, error objects and
 * class-transformer copy were a fifth of the bytes the server allocated per send (BENCHMARKS.md).
 */
@Injectable()
export class SendNotificationPipe implements PipeTransform {
  private readonly fullValidation = new ValidationPipe(REQUEST_VALIDATION);

  transform(body: unknown, metadata: ArgumentMetadata): unknown {
    return isWellFormedSend(body) ? body : this.fullValidation.transform(body, metadata);
  }
}
