import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SmsSendState, SmsSendStatus, SmsChunkFailure, SmsChunkState } from '@app/thai-bulk-sms/queue';
import { ALERT_ID_EXAMPLE } from '../common/api-examples';

// Swagger models of GET /alerts/:id. Each `implements` the library's type, so a field the queue
// adds or renames breaks the build here instead of leaving the document behind.

const ALERT_STATES: readonly SmsSendState[] = ['queued', 'sending', 'completed', 'partially-failed', 'failed'];

export class AlertChunkCountsDto implements Readonly<Record<SmsChunkState, number>> {
  @ApiProperty({ example: 3 })
  readonly total!: number;

  @ApiProperty({ example: 0 })
  readonly waiting!: number;

  @ApiProperty({ example: 0, description: 'Waiting for the account-wide rate limit or a retry.' })
  readonly delayed!: number;

  @ApiProperty({ example: 1, description: 'Being sent now.' })
  readonly active!: number;

  @ApiProperty({ example: 2 })
  readonly completed!: number;

  @ApiProperty({ example: 0 })
  readonly failed!: number;

  @ApiProperty({ example: 0, description: 'Removed by retention.' })
  readonly missing!: number;
}

export class AlertChunkFailureDto implements SmsChunkFailure {
  @ApiProperty({ example: 1, description: 'Index of the chunk (of at most 500 numbers) in the alert.' })
  readonly index!: number;

  @ApiProperty({ example: `${ALERT_ID_EXAMPLE}/1` })
  readonly jobId!: string;

  @ApiProperty({
    example: 'ERROR_SYSTEM_FAILURE',
    description: 'The vendor error name, ERROR_UPSTREAM_UNREACHABLE or ERROR_QUEUE_STALLED.',
  })
  readonly errorName!: string;

  @ApiProperty({ example: 'System failure.' })
  readonly message!: string;

  @ApiProperty({ example: 500, description: 'Numbers in the chunk, none of them retried blindly.' })
  readonly recipients!: number;

  @ApiProperty({ example: 1 })
  readonly attemptsMade!: number;
}

/** 200 of GET /alerts/:id (QUEUE_ENABLED=true). */
export class AlertStatusDto implements SmsSendStatus {
  @ApiProperty({ example: ALERT_ID_EXAMPLE })
  readonly id!: string;

  @ApiProperty({ enum: ALERT_STATES, example: 'sending' })
  readonly state!: SmsSendState;

  @ApiProperty({ type: AlertChunkCountsDto, description: 'Chunk jobs per state.' })
  readonly chunks!: AlertChunkCountsDto;

  @ApiProperty({ example: 1200, description: 'Valid, distinct numbers queued.' })
  readonly recipients!: number;

  @ApiProperty({ example: 1000, description: 'Numbers the API accepted so far (completed chunks).' })
  readonly accepted!: number;

  @ApiProperty({ example: 0, description: 'Numbers the API refused in completed chunks.' })
  readonly rejected!: number;

  @ApiProperty({ example: 1000 })
  readonly creditsUsed!: number;

  @ApiProperty({ type: [AlertChunkFailureDto] })
  readonly failures!: readonly AlertChunkFailureDto[];

  @ApiProperty({ example: 1923812400000, description: 'Epoch milliseconds.' })
  readonly createdAt!: number;

  @ApiPropertyOptional({ example: 1923812460000, description: 'Epoch milliseconds, once every chunk has settled.' })
  readonly finishedAt?: number;
}
