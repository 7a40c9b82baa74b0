import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isNotificationId } from '../model/notification-id';

/** A route's `:id`: 400 unless it can name a notification, before any query sees it. */
@Injectable()
export class NotificationIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isNotificationId(value)) throw new BadRequestException('id must be a notification id (a UUID)');
    return value;
  }
}
