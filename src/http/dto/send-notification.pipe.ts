import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
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
import { TOPIC_PATTERN } from '../../model/notification-audience';
import { NOTIFICATION_PRIORITIES } from '../../model/notification.view';
import { isUserId } from '../../model/user-id';
import { actionsProblem, groupKeyProblem } from '../../model/notification-action';
import { fitsJsonSize } from './max-json-size.validator';
import { RequestValidationPipe } from './request-validation.pipe';
import { SEND_LIMITS, SendNotificationDto } from './send-notification.dto';

type FieldCheck = (value: unknown) => boolean;

/**
 * The decorators of {@link SendNotificationDto}, one check per field, made of class-validator's
 * own functions so that each accepts exactly what its decorators accept. `null` and
 * `undefined` pass an optional field, as `@IsOptional()` lets them. Maps, so that a field of
 * the body is looked up among the DTO's own: an object literal would also answer for
 * `constructor` or `toString` with what it inherits.
 */
const OPTIONAL_FIELDS = new Map<string, FieldCheck>(
  Object.entries({
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
    data: (value) => isObject(value) && fitsJsonSize(value, SEND_LIMITS.maxDataBytes, SEND_LIMITS.maxDataDepth),
    priority: (value) => isIn(value, NOTIFICATION_PRIORITIES),
    ttlSeconds: (value) => isInt(value) && min(value, 1) && max(value, SEND_LIMITS.maxTtlSeconds),
    critical: (value) => isBoolean(value),
    actions: (value) => actionsProblem(value) === undefined,
    groupKey: (value) => groupKeyProblem(value) === undefined,
  } satisfies Record<string, FieldCheck>),
);
const REQUIRED_FIELDS = new Map<string, FieldCheck>(
  Object.entries({
    type: (value) => isString(value) && matches(value, SEND_LIMITS.typePattern),
    title: (value) => isString(value) && length(value, SEND_LIMITS.titleLength.min, SEND_LIMITS.titleLength.max),
  } satisfies Record<string, FieldCheck>),
);

/**
 * True when {@link RequestValidationPipe} would accept `body` as a {@link SendNotificationDto}: a
 * plain object with both required fields, no field the DTO lacks, and every field within its
 * limits. It never recurses into a value: `data` is measured within its depth limit.
 */
export function isWellFormedSend(body: unknown): body is SendNotificationDto {
  if (typeof body !== 'object' || body === null) return false;
  const prototype = Object.getPrototypeOf(body);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const fields = body as Record<string, unknown>;
  for (const [name, check] of REQUIRED_FIELDS) {
    if (!Object.hasOwn(fields, name) || !check(fields[name])) return false;
  }
  for (const name of Object.keys(fields)) {
    const check = OPTIONAL_FIELDS.get(name);
    if (check) {
      if (fields[name] != null && !check(fields[name])) return false;
    } else if (!REQUIRED_FIELDS.has(name)) {
      return false;
    }
  }
  return true;
}

/**
 * Validates the body of `POST /notifications`. A well-formed body, nearly every one, is checked
 * field by field and passed on as it came; any other goes through `ValidationPipe`, so a refusal
 * is class-validator's 400 with its messages (through {@link RequestValidationPipe}). ValidationPipe's metadata walk, error objects and
 * class-transformer copy were the largest share of what the server allocated per send.
 */
@Injectable()
export class SendNotificationPipe implements PipeTransform {
  private readonly fullValidation = new RequestValidationPipe();

  transform(body: unknown, metadata: ArgumentMetadata): unknown {
    if (isWellFormedSend(body)) return body;
    // Actions are checked as they came: class-transformer's copy drops a member named like an
    // inherited one (`constructor`), which must be refused like any unknown member.
    const actions = typeof body === 'object' && body !== null ? (body as { actions?: unknown }).actions : undefined;
    const problem = actions == null ? undefined : actionsProblem(actions);
    if (problem) throw new BadRequestException([problem]);
    return this.fullValidation.transform(body, metadata);
  }
}
