import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The webhook's answer to every report it accepts, whatever its content (the vendor would retry anything else). */
export class DeliveryReceivedDto {
  @ApiProperty({ example: true, enum: [true] })
  readonly received!: true;
}

/**
 * Swagger only: the fields of a report as the sandbox sends them. The webhook reads any body and
 * the names seen in the wild (the library's parseDeliveryReport); unknown fields are kept, never an error.
 */
export class DeliveryReportBodyDto {
  @ApiPropertyOptional({ example: 'rmWK3GbWDT5pFkzEJ5Cz8m', description: 'Also messageId or msg_id.' })
  readonly message_id?: string;

  @ApiPropertyOptional({ example: '66812345678', description: 'Also phone or number.' })
  readonly msisdn?: string;

  @ApiPropertyOptional({
    example: 'delivered',
    description: 'delivered or failed; another word is logged and nothing is emitted.',
  })
  readonly status?: string;

  @ApiPropertyOptional({ example: '2026-12-17T17:12:03+07:00' })
  readonly time?: string;

  @ApiPropertyOptional({ description: 'Why it failed, when it did.' })
  readonly error?: string;
}
