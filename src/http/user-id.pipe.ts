import { BadRequestException, PipeTransform } from '@nestjs/common';
import { isUserId, USER_ID_RULE } from '../model/user-id';

/** A route's `:userId`, a token's `sub`: 400 unless it can be a user id. */
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUserId(value)) throw new BadRequestException(`userId must be ${USER_ID_RULE}`);
    return value;
  }
}
