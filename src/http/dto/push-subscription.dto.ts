import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsNumber, IsObject, IsOptional, IsString, MaxLength, registerDecorator, ValidateNested } from 'class-validator';
import { isPushAuthSecret, isPushEndpoint, isPushPublicKey, MAX_PUSH_ENDPOINT_LENGTH } from '../../model/push-subscription-rules';

/** A rule of a push subscription field, with the message that names the field. */
function Rule(name: string, message: string, validate: (value: unknown) => boolean): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message },
      validator: { validate },
    });
}

export class PushKeysDto {
  @ApiProperty({
    description: "The browser's P-256 public key: 65 bytes, base64url",
    example: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
  })
  @IsDefined({ message: 'p256dh is required' })
  @Rule('isPushPublicKey', 'p256dh must be a P-256 public key: 65 bytes in base64url', isPushPublicKey)
  p256dh: string;

  @ApiProperty({ description: "The browser's authentication secret: 16 bytes, base64url", example: 'tBHItJI5svbpez7KI4CCXg' })
  @IsDefined({ message: 'auth is required' })
  @Rule('isPushAuthSecret', 'auth must be 16 bytes in base64url', isPushAuthSecret)
  auth: string;
}

/** A browser's `PushSubscription.toJSON()`. */
@ApiSchema({ description: "A browser's PushSubscription.toJSON(), as the Push API gives it" })
export class PushSubscriptionDto {
  @ApiProperty({
    description: `The push service URL for this browser (https: in production), at most ${MAX_PUSH_ENDPOINT_LENGTH} characters`,
    maxLength: MAX_PUSH_ENDPOINT_LENGTH,
  })
  @IsString({ message: 'endpoint must be a URL' })
  @MaxLength(MAX_PUSH_ENDPOINT_LENGTH, { message: `endpoint must be at most ${MAX_PUSH_ENDPOINT_LENGTH} characters` })
  @Rule('isPushEndpoint', 'endpoint must be an http(s) URL with a host', isPushEndpoint)
  endpoint: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'When the subscription expires (ms since the epoch), as the browser says; not stored',
  })
  @IsOptional()
  @IsNumber({}, { message: 'expirationTime must be a number or null' })
  expirationTime?: number | null;

  @ApiProperty({ type: PushKeysDto })
  @IsDefined({ message: 'keys is required' })
  @IsObject({ message: 'keys must be an object with p256dh and auth' })
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys: PushKeysDto;
}

/** The body of `DELETE /push/subscriptions`. */
export class PushUnsubscribeDto {
  @ApiProperty({ description: 'The endpoint of the subscription to delete' })
  @IsString({ message: 'endpoint must be a URL' })
  @MaxLength(MAX_PUSH_ENDPOINT_LENGTH, { message: `endpoint must be at most ${MAX_PUSH_ENDPOINT_LENGTH} characters` })
  endpoint: string;
}

export class VapidPublicKeyResponse {
  @ApiProperty({ description: 'The VAPID public key: pass it as applicationServerKey to pushManager.subscribe()' })
  key: string;
}

export class PushSubscriptionResponse {
  @ApiProperty({ description: 'The endpoint now subscribed' })
  endpoint: string;
}
