import { BadRequestException } from '@nestjs/common';

/** How long a sender's `Idempotency-Key` repeats its first answer (the contract's 24 h). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The `Idempotency-Key` header, validated: absent, or 1–255 characters. */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > 255) {
    throw new BadRequestException('Idempotency-Key must be 1 to 255 characters');
  }
  return value;
}
