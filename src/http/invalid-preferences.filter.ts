import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { InvalidPreferencesException } from '../model/invalid-preferences.exception';

/** Answers an InvalidPreferencesException with 400 and its problems, as a DTO error lists its fields. */
@Catch(InvalidPreferencesException)
export class InvalidPreferencesFilter extends BaseExceptionFilter implements ExceptionFilter {
  catch(exception: InvalidPreferencesException, host: ArgumentsHost): void {
    super.catch(new BadRequestException([...exception.problems]), host);
  }
}
