import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiKeyProtected } from '../common/api-docs.decorators';
import { ApiLedgerErrors } from '../ledger/ledger-docs.decorators';
import { SubjectErasureService } from './subject-erasure.service';

class ErasedCountsDto {
  @ApiProperty({ example: 3, description: 'Messages deleted, with their delivery timelines.' })
  readonly messages!: number;

  @ApiProperty({ example: 1, description: 'OTP requests deleted.' })
  readonly otps!: number;

  @ApiProperty({
    enum: ['not-listed', 'removed', 'kept-as-hash'],
    example: 'not-listed',
    description:
      'The opt-out list: `removed`, `kept-as-hash` (the person asked to stay opted out: only a keyed hash is kept, ' +
      'so marketing to the number is still refused) or `not-listed`.',
  })
  readonly optOut!: 'not-listed' | 'removed' | 'kept-as-hash';
}

export class SubjectErasureDto {
  @ApiProperty({ type: ErasedCountsDto })
  readonly erased!: ErasedCountsDto;
}

@ApiTags('subjects')
@ApiKeyProtected()
@Controller('subjects')
export class SubjectsController {
  constructor(private readonly erasure: SubjectErasureService) {}

  @Delete(':phone')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a data subject: every record of a phone number (PDPA's right to erasure)",
    description:
      'The number in any Thai form. Afterwards no route finds anything of it. Idempotent: a second call erases nothing.',
  })
  @ApiParam({ name: 'phone', example: '0812345678', description: '0812345678, +66812345678 or 66812345678' })
  @ApiOkResponse({ type: SubjectErasureDto })
  @ApiLedgerErrors()
  async erase(@Param('phone') phone: string): Promise<SubjectErasureDto> {
    return { erased: await this.erasure.erase(phone) };
  }
}
