import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { InvalidNotificationException } from '../model/invalid-notification.exception';

/** Answers an InvalidNotificationException with 400 and its message, like a DTO error. */
@Catch(InvalidNotificationException)
export class InvalidNotificationFilter extends BaseExceptionFilter implements ExceptionFilter {
  catch(exception: InvalidNotificationException, host: ArgumentsHost): void {
    super.catch(new BadRequestException(exception.message), host);
  }
}
