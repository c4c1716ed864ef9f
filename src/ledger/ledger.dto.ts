import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  LedgerDeliveryGroup,
  LedgerDeliveryReport,
  LedgerMessage,
  LedgerMessageSummary,
  LedgerPage,
} from '@app/thai-bulk-sms/ledger';

// Swagger models and mappers of the ledger's routes: the library's records as JSON, dates as ISO-8601.

const MESSAGE_STATUSES = ['accepted', 'rejected', 'unknown', 'delivered', 'undelivered', 'expired'];
export const MESSAGE_ID_EXAMPLE = 'rmWK3GbWDT5pFkzEJ5Cz8m';

export class MessageEventDto {
  @ApiProperty({ enum: [...MESSAGE_STATUSES, 'other'], example: 'delivered' })
  readonly status!: string;

  @ApiProperty({ example: '2026-12-07T03:02:11.000Z' })
  readonly at!: string;

  @ApiProperty({ enum: ['send', 'report'], description: "`send`: the vendor's answer; `report`: a delivery report." })
  readonly source!: 'send' | 'report';
}

export class MessageSummaryDto {
  @ApiPropertyOptional({ example: MESSAGE_ID_EXAMPLE, description: 'Absent for a number refused before sending.' })
  readonly messageId?: string;

  @ApiProperty({ example: '66812345678', description: '66XXXXXXXXX (as given when refused as no Thai mobile number).' })
  readonly phone!: string;

  @ApiProperty({ example: 'Demo' })
  readonly sender!: string;

  @ApiProperty({ enum: MESSAGE_STATUSES, example: 'delivered' })
  readonly status!: string;

  @ApiProperty({ enum: ['standard', 'corporate'], example: 'standard' })
  readonly creditType!: string;

  @ApiProperty({ example: 1 })
  readonly creditsUsed!: number;

  @ApiProperty({ type: [String], example: ['campaign-42'] })
  readonly tags!: string[];

  @ApiProperty({ example: '2026-12-07T03:02:05.000Z' })
  readonly createdAt!: string;

  @ApiPropertyOptional({ example: 'ERROR_SENDER_NOT_FOUND', description: 'Why it was rejected.' })
  readonly errorName?: string;
}

export class MessageDto extends MessageSummaryDto {
  @ApiProperty({ type: [MessageEventDto], description: 'Oldest first; the first is the send itself.' })
  readonly events!: MessageEventDto[];
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageSummaryDto], description: 'Newest first.' })
  readonly items!: MessageSummaryDto[];

  @ApiPropertyOptional({ description: 'Present when more match: pass it as `cursor` for the next page.' })
  readonly nextCursor?: string;
}

class StatusCountsDto {
  @ApiProperty({ example: 10 }) readonly accepted!: number;
  @ApiProperty({ example: 0 }) readonly rejected!: number;
  @ApiProperty({ example: 0 }) readonly unknown!: number;
  @ApiProperty({ example: 85 }) readonly delivered!: number;
  @ApiProperty({ example: 5 }) readonly undelivered!: number;
  @ApiProperty({ example: 0 }) readonly expired!: number;
}

class CreditsByPoolDto {
  @ApiProperty({ example: 100 }) readonly standard!: number;
  @ApiProperty({ example: 0 }) readonly corporate!: number;
}

export class DeliveryGroupDto {
  @ApiProperty({ example: '2026-12-07', description: 'The Bangkok day (YYYY-MM-DD), the sender or the tag.' })
  readonly key!: string;

  @ApiProperty({ type: StatusCountsDto })
  readonly counts!: StatusCountsDto;

  @ApiProperty({ example: 100 })
  readonly total!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.85,
    description: 'delivered ÷ (accepted + delivered + undelivered + expired); null when ThaiBulkSMS took nothing.',
  })
  readonly deliveryRate!: number | null;

  @ApiProperty({ type: CreditsByPoolDto })
  readonly creditsUsed!: CreditsByPoolDto;
}

export class DeliveryReportDto {
  @ApiProperty({ example: '2026-12-01T00:00:00.000Z' }) readonly from!: string;
  @ApiProperty({ example: '2026-12-08T00:00:00.000Z' }) readonly to!: string;
  @ApiProperty({ enum: ['day', 'sender', 'tag'], example: 'day' }) readonly groupBy!: string;
  @ApiProperty({ type: [DeliveryGroupDto] }) readonly groups!: DeliveryGroupDto[];
}

export function toSummaryDto(m: LedgerMessageSummary): MessageSummaryDto {
  return {
    ...(m.messageId !== undefined && { messageId: m.messageId }),
    phone: m.phone,
    sender: m.sender,
    status: m.status,
    creditType: m.creditType,
    creditsUsed: m.creditsUsed,
    tags: [...m.tags],
    createdAt: m.createdAt.toISOString(),
    ...(m.errorName !== undefined && { errorName: m.errorName }),
  };
}

export function toMessageDto(m: LedgerMessage): MessageDto {
  return {
    ...toSummaryDto(m),
    events: m.events.map((e) => ({ status: e.status, at: e.at.toISOString(), source: e.source })),
  };
}

export function toPageDto(page: LedgerPage): MessagePageDto {
  return {
    items: page.items.map(toSummaryDto),
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
}

export function toDeliveryReportDto(report: LedgerDeliveryReport): DeliveryReportDto {
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    groupBy: report.groupBy,
    groups: report.groups.map((g: LedgerDeliveryGroup) => ({
      key: g.key,
      counts: { ...g.counts },
      total: g.total,
      deliveryRate: g.deliveryRate,
      creditsUsed: { ...g.creditsUsed },
    })),
  };
}
