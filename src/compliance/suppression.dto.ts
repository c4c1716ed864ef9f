import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { SuppressionEntry, SuppressionScope } from '@app/thai-bulk-sms/compliance';
import { IsThaiMobile } from '@app/thai-bulk-sms/helpers';

export const SUPPRESSION_PHONE_EXAMPLE = '0899990001';

/** POST /suppressions. */
export class AddSuppressionDto {
  @ApiProperty({
    example: SUPPRESSION_PHONE_EXAMPLE,
    description: 'A Thai mobile number in any form (0812345678, 66812345678, +66 81 234 5678): one entry per number.',
  })
  @IsThaiMobile()
  phone!: string;

  @ApiPropertyOptional({
    enum: ['marketing', 'all'],
    default: 'marketing',
    description:
      '`marketing`: no more marketing. `all`: no transactional messages either. OTP always goes. Adding again keeps the wider scope.',
  })
  @IsOptional()
  @IsIn(['marketing', 'all'], { message: "scope must be 'marketing' or 'all'" })
  scope?: SuppressionScope;

  @ApiPropertyOptional({ example: 'replied STOP', maxLength: 200, description: 'Why, in your words.' })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @MaxLength(200, { message: 'reason must be at most 200 characters' })
  reason?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'The person asked to stay opted out even after erasing their data (DELETE /subjects/{phone}): the erasure then keeps only a keyed hash of the number.',
  })
  @IsOptional()
  @IsBoolean({ message: 'keepAfterErasure must be a boolean' })
  keepAfterErasure?: boolean;
}

/** An entry of the opt-out list. */
export class SuppressionDto {
  @ApiProperty({ example: '66899990001', description: "The number in the vendor's form." })
  readonly phone!: string;

  @ApiProperty({ enum: ['marketing', 'all'] })
  readonly scope!: SuppressionScope;

  @ApiPropertyOptional({ example: 'replied STOP' })
  readonly reason?: string;

  @ApiProperty({ example: '2026-12-07T09:00:00.000Z', description: 'When the opt-out was (last) recorded.' })
  readonly at!: string;

  @ApiProperty({ description: 'Kept (as a keyed hash only) when the number is erased.' })
  readonly keepAfterErasure!: boolean;

  @ApiProperty({ description: 'Erased: only a keyed hash of the number is stored; reason is gone.' })
  readonly erased!: boolean;
}

/** DELETE /suppressions/{phone}. */
export class RemovedSuppressionDto {
  @ApiProperty({ example: '66899990001' })
  readonly phone!: string;

  @ApiProperty({
    description: 'Whether the number was on the list (false: nothing to remove; the call is idempotent).',
  })
  readonly removed!: boolean;
}

export function toSuppressionDto(entry: SuppressionEntry): SuppressionDto {
  return {
    phone: entry.phone,
    scope: entry.scope,
    ...(entry.reason !== undefined && { reason: entry.reason }),
    at: entry.at.toISOString(),
    keepAfterErasure: entry.keepAfterErasure === true,
    erased: entry.erased === true,
  };
}
