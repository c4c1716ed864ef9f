import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Swagger models of GET /health: terminus' result shape, with the one indicator this app checks.

export class ThaiBulkSmsHealthDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  readonly status!: 'up' | 'down';

  @ApiPropertyOptional({
    description:
      'Why it is down: the vendor error name, "unreachable", or "standard credit below <THAIBULKSMS_MIN_CREDIT>". Never a balance.',
  })
  readonly reason?: string;
}

export class LedgerHealthDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  readonly status!: 'up' | 'down';

  @ApiProperty({
    enum: ['up', 'buffering', 'unreachable', 'down'],
    example: 'up',
    description:
      '`buffering`: writes fail and rows wait in memory (sends go on); `unreachable`: the database does not answer; `down`: rows were lost.',
  })
  readonly state!: string;
}

export class HealthIndicatorsDto {
  @ApiProperty({ type: ThaiBulkSmsHealthDto })
  readonly thaibulksms!: ThaiBulkSmsHealthDto;

  @ApiPropertyOptional({ type: LedgerHealthDto, description: 'The message ledger, when LEDGER_ENABLED=true.' })
  readonly ledger?: LedgerHealthDto;
}

export class HealthResultDto {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  readonly status!: 'ok' | 'error';

  @ApiPropertyOptional({ type: HealthIndicatorsDto, description: 'The indicators that are up.' })
  readonly info?: HealthIndicatorsDto;

  @ApiPropertyOptional({ type: HealthIndicatorsDto, description: 'The indicators that are down.' })
  readonly error?: HealthIndicatorsDto;

  @ApiProperty({ type: HealthIndicatorsDto, description: 'Every indicator.' })
  readonly details!: HealthIndicatorsDto;
}

/** The answers as terminus gives them, for the document: a reason only ever goes with `down`. */
export const HEALTH_UP_EXAMPLE = {
  status: 'ok',
  info: { thaibulksms: { status: 'up' }, ledger: { status: 'up', state: 'up' } },
  error: {},
  details: { thaibulksms: { status: 'up' }, ledger: { status: 'up', state: 'up' } },
};
export const HEALTH_DOWN_EXAMPLE = {
  status: 'error',
  info: { ledger: { status: 'up', state: 'up' } },
  error: { thaibulksms: { status: 'down', reason: 'ERROR_SYSTEM_FAILURE' } },
  details: { thaibulksms: { status: 'down', reason: 'ERROR_SYSTEM_FAILURE' }, ledger: { status: 'up', state: 'up' } },
};

export class LivenessResultDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  readonly status!: 'ok';
}
