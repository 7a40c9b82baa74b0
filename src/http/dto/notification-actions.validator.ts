import { registerDecorator, ValidationArguments } from 'class-validator';
import { actionsProblem, groupKeyProblem } from '../../model/notification-action';

/** A field checked by one of the model's `…Problem` functions; the 400 says what it found wrong. */
function checkedBy(name: string, problemOf: (value: unknown) => string | undefined): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (validation: ValidationArguments) => problemOf(validation.value) ?? `${validation.property} is invalid` },
      validator: { validate: (value: unknown) => value == null || problemOf(value) === undefined },
    });
}

/** At most 3 actions, each `{id, label, url?, style?}` within the limits (model/notification-action.ts). */
export const IsNotificationActions = (): PropertyDecorator => checkedBy('isNotificationActions', actionsProblem);

/** A groupKey of 1 to 100 characters. */
export const IsGroupKey = (): PropertyDecorator => checkedBy('isGroupKey', groupKeyProblem);
