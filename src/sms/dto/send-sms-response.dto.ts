import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AcceptedRecipientDto {
  @ApiProperty({ example: '66812345678', description: 'The number in the vendor form 66XXXXXXXXX.' })
  readonly phone!: string;

  @ApiProperty({ example: 'Gi9YlmTd6wpgMdec8iMrRi' })
  readonly messageId!: string;

  @ApiProperty({ example: 1 })
  readonly credits!: number;
}

export class RejectedRecipientDto {
  @ApiProperty({ example: '0123' })
  readonly phone!: string;

  @ApiProperty({ example: 'Phone number is invalid.' })
  readonly reason!: string;
}

export class SendSmsResponseDto {
  @ApiProperty({ type: [AcceptedRecipientDto] })
  readonly accepted!: AcceptedRecipientDto[];

  @ApiProperty({ type: [RejectedRecipientDto] })
  readonly rejected!: RejectedRecipientDto[];

  @ApiProperty({ enum: ['standard', 'corporate'] })
  readonly creditType!: 'standard' | 'corporate';

  @ApiProperty({ example: 1 })
  readonly creditsUsed!: number;

  @ApiProperty({ example: 9999, description: 'Balance of the pool just charged.' })
  readonly creditsRemaining!: number;
}

export class FailedChunkDto {
  @ApiProperty({ example: 3, description: 'Zero-based chunk index (chunks of 500).' })
  readonly index!: number;

  @ApiProperty({
    example: 500,
    description:
      'How many recipients failed (all the chunk held, or those its answer left unconfirmed); none of them is known to have been sent.',
  })
  readonly recipientCount!: number;

  @ApiProperty({ type: [String], description: 'The recipients of the failed chunk, to retry them deliberately.' })
  readonly recipients!: string[];

  @ApiProperty({ example: 'ERROR_UPSTREAM_TIMEOUT' })
  readonly error!: string;

  @ApiProperty({ example: 'ThaiBulkSMS did not answer within 10000 ms.' })
  readonly message!: string;

  @ApiPropertyOptional({
    enum: [false],
    description:
      'false when the chunk was never sent because an account error stopped the alert early: safe to resend once the account is fixed.',
  })
  readonly sent?: false;
}

export class AlertsResponseDto {
  @ApiProperty({ example: 1200 })
  readonly acceptedCount!: number;

  @ApiProperty({ example: 3 })
  readonly rejectedCount!: number;

  @ApiProperty({ type: [AcceptedRecipientDto] })
  readonly accepted!: AcceptedRecipientDto[];

  @ApiProperty({ type: [RejectedRecipientDto] })
  readonly rejected!: RejectedRecipientDto[];

  @ApiProperty({ example: 3, description: 'Requests made (chunks of at most 500 numbers).' })
  readonly chunks!: number;

  @ApiProperty({ type: [FailedChunkDto], description: 'Chunks that failed as a whole; the others went out.' })
  readonly failedChunks!: FailedChunkDto[];

  @ApiProperty({ example: 1200 })
  readonly creditsUsed!: number;

  @ApiPropertyOptional({ example: 8800 })
  readonly creditsRemaining?: number;

  @ApiPropertyOptional({
    example: 0,
    description:
      'Recipients never sent because an account error stopped the alert early (in failedChunks with sent: false).',
  })
  readonly notSentCount?: number;
}
