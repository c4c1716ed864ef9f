import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Swagger models of GET /health: terminus' result shape, with the one indicator this app checks.

export class ThaiBulkSmsHealthDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  readonly status!: 'up' | 'down';

  @ApiPropertyOptional({
    example: 'ERROR_SYSTEM_FAILURE',
    description:
      'Why it is down: the vendor error name, "unreachable", or "standard credit below <THAIBULKSMS_MIN_CREDIT>". Never a balance.',
  })
  readonly reason?: string;
}

export class HealthIndicatorsDto {
  @ApiProperty({ type: ThaiBulkSmsHealthDto })
  readonly thaibulksms!: ThaiBulkSmsHealthDto;
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

export class LivenessResultDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  readonly status!: 'ok';
}
