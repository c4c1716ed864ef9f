import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MessageLedger } from '@app/thai-bulk-sms/ledger';
import { ApiErrorDto, ApiException } from '../common/api-error';
import { ApiKeyProtected } from '../common/api-docs.decorators';
import { ApiLedgerErrors } from './ledger-docs.decorators';
import { MESSAGE_ID_EXAMPLE, MessageDto, MessagePageDto, toMessageDto, toPageDto } from './ledger.dto';

/** The query string as Express parses it: a repeated field is an array, which the ledger refuses (400). */
type QueryValue = string | string[] | undefined;

/** Every recipient the app sent to, with its delivery timeline (the library's MessageLedger). */
@ApiTags('ledger')
@ApiKeyProtected()
@Controller('messages')
export class MessagesController {
  constructor(private readonly ledger: MessageLedger) {}

  @Get()
  @ApiOperation({
    summary: 'Search the ledger, newest first',
    description:
      'Every filter is optional; the phone in any Thai form. Pages of `limit` (1–200, default 50): pass `nextCursor` back as `cursor`.',
  })
  @ApiQuery({
    name: 'phone',
    required: false,
    example: '0812345678',
    description: '0812345678, +66 81 234 5678 or 66812345678',
  })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['accepted', 'rejected', 'unknown', 'delivered', 'undelivered', 'expired'],
  })
  @ApiQuery({ name: 'tag', required: false })
  @ApiQuery({ name: 'sender', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'Sent at or after (ISO-8601).' })
  @ApiQuery({ name: 'to', required: false, description: 'Sent before (ISO-8601).' })
  @ApiQuery({ name: 'limit', required: false, example: 20 })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page.' })
  @ApiOkResponse({ type: MessagePageDto })
  @ApiLedgerErrors()
  async search(
    @Query('phone') phone: QueryValue,
    @Query('status') status: QueryValue,
    @Query('tag') tag: QueryValue,
    @Query('sender') sender: QueryValue,
    @Query('from') from: QueryValue,
    @Query('to') to: QueryValue,
    @Query('limit') limit: QueryValue,
    @Query('cursor') cursor: QueryValue,
  ): Promise<MessagePageDto> {
    // The ledger checks every field (LedgerQueryError → 400 with ERROR_MSISDN or ERROR_QUERY_STRING).
    const query = { phone, status, tag, sender, from, to, limit, cursor } as Record<string, unknown>;
    return toPageDto(await this.ledger.searchMessages(query));
  }

  @Get(':messageId')
  @ApiOperation({ summary: "A message by ThaiBulkSMS' message id, with its status timeline" })
  @ApiParam({ name: 'messageId', example: MESSAGE_ID_EXAMPLE })
  @ApiOkResponse({ type: MessageDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: '`NOT_FOUND`: the ledger holds no message with this id.' })
  @ApiLedgerErrors()
  async find(@Param('messageId') messageId: string): Promise<MessageDto> {
    const message = await this.ledger.findMessage(messageId);
    if (!message) throw new ApiException(404, 'NOT_FOUND', 'The ledger holds no message with this id.');
    return toMessageDto(message);
  }
}
