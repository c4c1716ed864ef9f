import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LedgerReportGrouping, MessageLedger } from '@app/thai-bulk-sms/ledger';
import { ApiKeyProtected } from '../common/api-docs.decorators';
import { ApiLedgerErrors } from './ledger-docs.decorators';
import { DeliveryReportDto, toDeliveryReportDto } from './ledger.dto';

@ApiTags('ledger')
@ApiKeyProtected()
@Controller('reports')
export class ReportsController {
  constructor(private readonly ledger: MessageLedger) {}

  @Get('delivery')
  @ApiOperation({
    summary: 'Delivery report: counts per status, delivery rate and credits per pool',
    description: 'Per Bangkok day, sender or tag, over at most 366 days.',
  })
  @ApiQuery({ name: 'from', required: true, example: '2026-12-01T00:00:00+07:00', description: 'ISO-8601, included.' })
  @ApiQuery({ name: 'to', required: true, example: '2026-12-08T00:00:00+07:00', description: 'ISO-8601, excluded.' })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['day', 'sender', 'tag'], example: 'day' })
  @ApiOkResponse({ type: DeliveryReportDto })
  @ApiLedgerErrors()
  async delivery(
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('groupBy') groupBy: unknown,
  ): Promise<DeliveryReportDto> {
    const report = await this.ledger.deliveryReport({
      from: from as string,
      to: to as string,
      ...(groupBy !== undefined && groupBy !== '' && { groupBy: groupBy as LedgerReportGrouping }),
    });
    return toDeliveryReportDto(report);
  }
}
