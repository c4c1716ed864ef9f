import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ALERT_DEDUPE_KEY_EXAMPLE, ALERT_ID_EXAMPLE } from '../common/api-examples';
import { SendAlertDto } from './alert.dto';

/** Longest `dedupeKey` the app accepts (the library allows 200; the app keeps room for its own). */
export const MAX_ALERT_DEDUPE_KEY_LENGTH = 128;

/** POST /alerts with QUEUE_ENABLED=true: SendAlertDto plus an optional dedupe key. */
export class QueuedAlertDto extends SendAlertDto {
  @ApiPropertyOptional({
    example: ALERT_DEDUPE_KEY_EXAMPLE,
    maxLength: MAX_ALERT_DEDUPE_KEY_LENGTH,
    description:
      'Names the alert: the same key again (from any instance) adds nothing and answers the same id with duplicate: true, ' +
      'for one day after the request that queued it (whatever became of its chunks). The same key with another text or other ' +
      'recipients is a 409 CONFLICT.',
  })
  @IsOptional()
  @IsString({ message: 'dedupeKey must be a string' })
  @MinLength(1, { message: 'dedupeKey must not be empty' })
  @MaxLength(MAX_ALERT_DEDUPE_KEY_LENGTH, {
    message: `dedupeKey must be at most ${MAX_ALERT_DEDUPE_KEY_LENGTH} characters`,
  })
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'dedupeKey must not contain control characters' })
  dedupeKey?: string;
}

export class QueuedRejectedRecipientDto {
  @ApiProperty({ example: '0123' })
  readonly phone!: string;

  @ApiProperty({ example: 'Phone number is invalid.' })
  readonly reason!: string;
}

/** 202 of POST /alerts when queued. */
export class QueuedAlertResponseDto {
  @ApiProperty({
    example: ALERT_ID_EXAMPLE,
    description: 'The alert id: GET /alerts/{id} reports its progress (also in the Location header).',
  })
  readonly id!: string;

  @ApiProperty({ example: 3, description: 'Chunk jobs of at most 500 numbers (one request each).' })
  readonly chunks!: number;

  @ApiProperty({ example: 1200, description: 'Valid, distinct numbers queued.' })
  readonly recipients!: number;

  @ApiProperty({
    type: [QueuedRejectedRecipientDto],
    description: 'Invalid numbers, refused before queueing (never sent).',
  })
  readonly rejected!: QueuedRejectedRecipientDto[];

  @ApiProperty({ example: false, description: 'true when dedupeKey named an alert already queued: nothing was added.' })
  readonly duplicate!: boolean;
}
