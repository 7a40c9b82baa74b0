import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { TOPIC_PATTERN } from '../../model/notification-audience';
import { ChannelDefaults, ChannelSwitches, NotificationPreferences, PREFERENCE_LIMITS, QuietHours } from '../../model/preferences';

// Shapes for the OpenAPI document only: the body is checked by parsePreferences
// (model/preferences-input.ts), whose keyed maps (types, topics) class-validator cannot express.

const CLOCK_TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

@ApiSchema({ description: 'Channels switched on (true) or off (false); one left out falls through to the next rule' })
export class ChannelSwitchesBody implements ChannelSwitches {
  @ApiPropertyOptional({ description: 'Stored in the inbox and sent live; off: not stored at all (suppressed)' })
  inApp?: boolean;
  @ApiPropertyOptional({ description: 'Web Push' })
  push?: boolean;
  @ApiPropertyOptional()
  email?: boolean;
}

@ApiSchema({ description: "Every channel: the user's own switch where they set one, else the module's default" })
export class ChannelsResponse implements ChannelDefaults {
  @ApiProperty()
  inApp: boolean;
  @ApiProperty()
  push: boolean;
  @ApiProperty()
  email: boolean;
}

@ApiSchema({ description: 'Push and email wait while the time in timeZone is between start and end (in-app does not)' })
export class QuietHoursBody implements QuietHours {
  @ApiProperty({ pattern: CLOCK_TIME, example: '22:00' })
  start: string;
  @ApiProperty({ pattern: CLOCK_TIME, example: '07:00', description: 'Not equal to start; before it: the quiet hours span midnight' })
  end: string;
  @ApiProperty({ example: 'Europe/Berlin', description: 'An IANA time zone' })
  timeZone: string;
}

const TYPES = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(ChannelSwitchesBody) },
  maxProperties: PREFERENCE_LIMITS.maxTypes,
  example: { 'expense.*': { email: false }, 'system.maintenance': { inApp: false } },
  description:
    'By notification type: a key is a type ([a-z0-9._-]{1,100}) or a prefix of types ending in .* (expense.* matches expense.approved). The exact type decides first, then the longest matching prefix',
} as const;
const TOPICS = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(ChannelSwitchesBody) },
  maxProperties: PREFERENCE_LIMITS.maxTopics,
  example: { finance: { push: false } },
  description: `By topic (${TOPIC_PATTERN.source}): decides where no types entry does`,
} as const;
const EMAIL = { type: String, format: 'email', maxLength: PREFERENCE_LIMITS.maxEmailLength, nullable: true } as const;

/** The body of `PUT /preferences`: every key optional (left out: nothing set); unknown keys are refused. */
@ApiSchema({ description: 'Replaces every preference: what is left out is unset. Unknown keys at any level are refused (400).' })
export class PreferencesBody {
  @ApiPropertyOptional({ type: ChannelSwitchesBody, description: 'For every notification no types or topics entry decides' })
  channels?: ChannelSwitchesBody;
  @ApiPropertyOptional(TYPES)
  types?: Record<string, ChannelSwitchesBody>;
  @ApiPropertyOptional(TOPICS)
  topics?: Record<string, ChannelSwitchesBody>;
  @ApiPropertyOptional({ type: QuietHoursBody, nullable: true })
  quietHours?: QuietHoursBody | null;
  @ApiPropertyOptional({ ...EMAIL, description: "Where email goes (else the token's email claim)" })
  email?: string | null;
}

/** A user's preferences as stored, with every channel filled in. */
export class PreferencesResponse implements NotificationPreferences {
  @ApiProperty({ type: ChannelsResponse })
  channels: ChannelsResponse;
  @ApiProperty(TYPES)
  types: Record<string, ChannelSwitchesBody>;
  @ApiProperty(TOPICS)
  topics: Record<string, ChannelSwitchesBody>;
  @ApiProperty({ type: QuietHoursBody, nullable: true })
  quietHours: QuietHoursBody | null;
  @ApiProperty(EMAIL)
  email: string | null;
}
