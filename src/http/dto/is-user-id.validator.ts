import { registerDecorator, ValidationOptions } from 'class-validator';
import { isUserId, USER_ID_RULE } from '../../model/user-id';

/** A user id (or, with `each`, a list of them): {@link isUserId}. */
export function IsUserId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUserId',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `each value in $property must be a user id: ${USER_ID_RULE}`, ...options },
      validator: { validate: (value: unknown) => isUserId(value) },
    });
}
