import type { BulkSendResult, SendSmsResult } from '@app/thai-bulk-sms';
import { AlertsResponseDto, SendSmsResponseDto } from './dto/send-sms-response.dto';

export function toSendSmsResponse(r: SendSmsResult): SendSmsResponseDto {
  return {
    accepted: r.accepted.map((a) => ({ phone: a.phone, messageId: a.messageId, credits: a.credits })),
    rejected: r.rejected.map((x) => ({ phone: x.phone, reason: x.reason })),
    creditType: r.creditType,
    creditsUsed: r.creditsUsed,
    creditsRemaining: r.creditsRemaining,
  };
}

export function toAlertsResponse(r: BulkSendResult): AlertsResponseDto {
  return {
    acceptedCount: r.acceptedCount,
    rejectedCount: r.rejectedCount,
    accepted: r.accepted.map((a) => ({ phone: a.phone, messageId: a.messageId, credits: a.credits })),
    rejected: r.rejected.map((x) => ({ phone: x.phone, reason: x.reason })),
    chunks: r.chunks,
    failedChunks: r.failedChunks.map((c) => ({
      index: c.index,
      recipientCount: c.recipients.length,
      recipients: [...c.recipients],
      error: c.errorName,
      message: c.message,
      ...(c.sent === false && { sent: false as const }),
    })),
    ...(r.notSentCount !== undefined && { notSentCount: r.notSentCount }),
    creditsUsed: r.creditsUsed,
    ...(r.creditsRemaining !== undefined && { creditsRemaining: r.creditsRemaining }),
  };
}
