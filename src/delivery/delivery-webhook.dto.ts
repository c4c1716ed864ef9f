import { ApiProperty } from '@nestjs/swagger';

/** The webhook's answer to every report it accepts, whatever its content (the vendor would retry anything else). */
export class DeliveryReceivedDto {
  @ApiProperty({ example: true, enum: [true] })
  readonly received!: true;
}
