import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's preferences as they set them (GET answers this, with `channels` completed). */
@Entity('notification_preferences')
export class PreferencesEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  /** JSON of the normalized value (every key present, only the switches the user set). */
  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt: string;
}

/**
 * One entry of a user's preferences that sets `inApp`, kept apart so that every inbox insert
 * decides per recipient with one primary-key lookup (persistence/in-app-rules.ts).
 * `precedence`: 0 an exact type (key = the type), 1 a `prefix.*` entry (key = the prefix with
 * its dot), 2 a topic (key = the topic), 3 the user's `channels.inApp` (key '').
 */
@Entity('notification_in_app_rules')
export class InAppRuleEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ type: 'smallint' })
  precedence: number;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  /** 1 on, 0 off (smallint on both engines: SQLite has no boolean, and the SQL compares with 1). */
  @Column({ name: 'in_app', type: 'smallint' })
  inApp: number;
}
