import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { SuppressionList } from '@app/thai-bulk-sms/compliance';
import { maskPhone, parseThaiMobile } from '@app/thai-bulk-sms/helpers';
import { ApiErrorDto, ApiException } from '../common/api-error';
import { ApiJsonBody, ApiKeyProtected } from '../common/api-docs.decorators';
import {
  AddSuppressionDto,
  RemovedSuppressionDto,
  SUPPRESSION_PHONE_EXAMPLE,
  SuppressionDto,
  toSuppressionDto,
} from './suppression.dto';

const PHONE_PARAM = {
  name: 'phone',
  example: SUPPRESSION_PHONE_EXAMPLE,
  description: 'A Thai mobile number in any form (URL-encode a leading +).',
};

/** The opt-out list (README, "Compliance"): marketing skips listed numbers, transactional those with scope all. */
@ApiTags('compliance')
@ApiKeyProtected()
@Controller('suppressions')
export class SuppressionsController {
  private readonly logger = new Logger('Compliance');

  constructor(private readonly suppressions: SuppressionList) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Put a number on the opt-out list' })
  @ApiCreatedResponse({ type: SuppressionDto, description: 'The entry as stored (the wider scope is kept).' })
  @ApiJsonBody(AddSuppressionDto, {
    marketing: { summary: 'No more marketing', value: { phone: SUPPRESSION_PHONE_EXAMPLE, reason: 'replied STOP' } },
    all: {
      summary: 'Nothing but OTP, even after erasure',
      value: { phone: SUPPRESSION_PHONE_EXAMPLE, scope: 'all', reason: 'asked by phone', keepAfterErasure: true },
    },
  })
  async add(@Body() dto: AddSuppressionDto): Promise<SuppressionDto> {
    const entry = await this.suppressions.add(dto.phone, {
      ...(dto.scope !== undefined && { scope: dto.scope }),
      ...(dto.reason !== undefined && { reason: dto.reason }),
      ...(dto.keepAfterErasure !== undefined && { keepAfterErasure: dto.keepAfterErasure }),
    });
    this.logger.log({ msg: 'Opt-out recorded', phone: maskPhone(entry.phone), scope: entry.scope });
    return toSuppressionDto(entry);
  }

  @Get(':phone')
  @ApiOperation({ summary: 'Whether a number is on the opt-out list' })
  @ApiParam(PHONE_PARAM)
  @ApiOkResponse({ type: SuppressionDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'NOT_FOUND: the number is not on the list.' })
  async get(@Param('phone') phone: string): Promise<SuppressionDto> {
    const entry = await this.suppressions.get(checkedPhone(phone));
    if (!entry) throw new ApiException(404, 'NOT_FOUND', 'This number is not on the opt-out list.');
    return toSuppressionDto(entry);
  }

  @Delete(':phone')
  @ApiOperation({
    summary: 'Take a number off the opt-out list',
    description: 'Only when the person asked for messages again. Idempotent: removed is false when it was not listed.',
  })
  @ApiParam(PHONE_PARAM)
  @ApiOkResponse({ type: RemovedSuppressionDto })
  async remove(@Param('phone') phone: string): Promise<RemovedSuppressionDto> {
    const msisdn = checkedPhone(phone);
    const removed = await this.suppressions.remove(msisdn);
    if (removed) this.logger.log({ msg: 'Opt-out removed', phone: maskPhone(msisdn) });
    return { phone: msisdn, removed };
  }
}

/** The number of a path in the vendor's form, or 400 ERROR_MSISDN. */
function checkedPhone(phone: string): string {
  const parsed = parseThaiMobile(phone);
  if (!parsed.valid)
    throw new ApiException(
      400,
      'ERROR_MSISDN',
      'phone must be a Thai mobile number (0812345678, 66812345678 or +66812345678).',
    );
  return parsed.msisdn;
}
