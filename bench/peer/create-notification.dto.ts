/** Body of POST /notifications (no ValidationPipe, as in many tutorials). */
export class CreateNotificationDto {
  userIds: string[];
  type: string;
  title: string;
  body?: string;
  data?: Record<string, unknown>;
}
