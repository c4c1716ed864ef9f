import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreditService } from '@app/thai-bulk-sms';
import { ApiKeyProtected, ApiVendorErrors } from '../common/api-docs.decorators';
import { CreditResponseDto } from './credit.dto';

@ApiTags('credit')
@ApiKeyProtected()
@Controller('credit')
export class CreditController {
  constructor(private readonly credit: CreditService) {}

  @Get()
  @ApiOperation({ summary: 'Remaining credit in both pools' })
  @ApiOkResponse({ type: CreditResponseDto })
  @ApiVendorErrors()
  async get(): Promise<CreditResponseDto> {
    const { standard, corporate } = await this.credit.getCredit();
    return { standard, corporate };
  }
}
