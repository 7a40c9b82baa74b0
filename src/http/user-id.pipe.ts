import { BadRequestException, PipeTransform } from '@nestjs/common';

/** A user id is a token's `sub`: 1 to 255 characters. */
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value.length === 0 || value.length > 255) throw new BadRequestException('userId must be 1 to 255 characters');
    return value;
  }
}
