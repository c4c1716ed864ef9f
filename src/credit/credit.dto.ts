import { ApiProperty } from '@nestjs/swagger';

export class CreditResponseDto {
  @ApiProperty({ example: 6093 })
  readonly standard!: number;

  @ApiProperty({ example: 4498 })
  readonly corporate!: number;
}
