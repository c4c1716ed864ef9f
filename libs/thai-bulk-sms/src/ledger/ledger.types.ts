import type { MessageEncoding } from '../message';
import type { CreditType } from '../message/vendor-limits';

/**
 * A recipient's state: `accepted` by ThaiBulkSMS; `rejected` (locally or by the vendor, with the
 * error name, never sent); `unknown` (the request failed after it may have gone out);
 * then, from delivery reports, one final state: `delivered`, `undelivered` or `expired`.
 */
export type LedgerMessageStatus = 'accepted' | 'rejected' | 'unknown' | 'delivered' | 'undelivered' | 'expired';

export const LEDGER_MESSAGE_STATUSES: readonly LedgerMessageStatus[] = [
  'accepted',
  'rejected',
  'unknown',
  'delivered',
  'undelivered',
  'expired',
];

/** States a delivery report never moves a message out of. */
export const FINAL_MESSAGE_STATUSES: readonly LedgerMessageStatus[] = [
  'rejected',
  'delivered',
  'undelivered',
  'expired',
];

/** What a delivery report says, as the timeline keeps it (`other`: a status that is not final). */
export type LedgerReportStatus = 'delivered' | 'undelivered' | 'expired' | 'other';

/** An OTP request: `requested`, then `verified` or `expired`; `rejected`/`unknown` when the request failed. */
export type LedgerOtpStatus = 'requested' | 'verified' | 'expired' | 'rejected' | 'unknown';

/** How the text of a send is kept: always its fingerprint, the text itself only with `messageText: 'full'`. */
export interface LedgerText {
  /** Hex SHA-256 of the UTF-8 text. */
  readonly sha256: string;
  readonly length: number;
  readonly encoding: MessageEncoding;
  readonly parts: number;
  readonly full?: string;
}

/** One recipient of a vendor request, as written. */
export interface LedgerRecipientWrite {
  readonly ordinal: number;
  readonly messageId?: string;
  /** 66XXXXXXXXX, or the entry as given for a number refused locally. */
  readonly phone: string;
  readonly status: 'accepted' | 'rejected' | 'unknown';
  readonly creditsUsed: number;
  readonly errorName?: string;
  readonly errorSource?: 'local' | 'vendor';
}

/** The rows of one vendor request (one `send`, or one chunk of a bulk or queued send). */
export interface LedgerMessageBatch {
  readonly createdAt: Date;
  /** Random per request: with `ordinal`, the row's key, so a retried write is written once. */
  readonly requestId: string;
  readonly registration: string;
  readonly sender: string;
  readonly creditType: CreditType;
  readonly tags: readonly string[];
  readonly scheduledAt?: Date;
  readonly reference?: string;
  readonly text: LedgerText;
  readonly recipients: readonly LedgerRecipientWrite[];
}

/** A delivery report, bounded and keyed for idempotence. */
export interface LedgerReportWrite {
  /** Hash of the report: the same report twice is kept once. */
  readonly eventKey: string;
  readonly messageId?: string;
  readonly phone?: string;
  readonly status: LedgerReportStatus;
  /** When the report says it happened, else when it was received. */
  readonly at: Date;
  readonly receivedAt: Date;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface LedgerOtpRequestWrite {
  readonly id: string;
  readonly createdAt: Date;
  readonly registration: string;
  readonly phone: string;
  readonly refno?: string;
  /** Hex SHA-256 of the token; the token itself is never kept. */
  readonly tokenSha256?: string;
  readonly status: 'requested' | 'rejected' | 'unknown';
  readonly errorName?: string;
}

export interface LedgerOtpVerifyWrite {
  /** Random per attempt, so a retried write counts a failed attempt once. */
  readonly attemptKey: string;
  readonly tokenSha256: string;
  readonly at: Date;
  readonly outcome: 'verified' | 'failed' | 'expired';
}

export type LedgerWrite =
  | { readonly kind: 'messages'; readonly batch: LedgerMessageBatch }
  | { readonly kind: 'report'; readonly report: LedgerReportWrite }
  | { readonly kind: 'otp-request'; readonly otp: LedgerOtpRequestWrite }
  | { readonly kind: 'otp-verify'; readonly verify: LedgerOtpVerifyWrite };

/** One entry of a message's timeline. */
export interface LedgerEvent {
  readonly status: LedgerMessageStatus | LedgerReportStatus;
  readonly at: Date;
  /** `send`: the vendor's answer to the request; `report`: a delivery report. */
  readonly source: 'send' | 'report';
  /** The report as received (bounded); absent for `send`. */
  readonly raw?: Readonly<Record<string, unknown>>;
}

/** A recipient of a send as a search lists it. */
export interface LedgerMessageSummary {
  readonly messageId?: string;
  readonly phone: string;
  readonly sender: string;
  readonly status: LedgerMessageStatus;
  readonly creditType: CreditType;
  readonly creditsUsed: number;
  readonly tags: readonly string[];
  readonly createdAt: Date;
  readonly statusAt: Date;
  readonly scheduledAt?: Date;
  readonly reference?: string;
  readonly registration: string;
  readonly errorName?: string;
}

/** A recipient of a send with its text fingerprint and timeline. */
export interface LedgerMessage extends LedgerMessageSummary {
  readonly text: LedgerText;
  /** Oldest first; the first is the send itself. */
  readonly events: readonly LedgerEvent[];
}

export interface LedgerSearchQuery {
  /** Any Thai form (`0812345678`, `+66 81 234 5678`, `66812345678`). */
  readonly phone?: string;
  readonly status?: LedgerMessageStatus;
  readonly tag?: string;
  readonly sender?: string;
  /** Sent at or after (a Date or an ISO-8601 string). */
  readonly from?: Date | string;
  /** Sent before. */
  readonly to?: Date | string;
  /** 1–200. @default 50 */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface LedgerPage {
  /** Newest first. */
  readonly items: readonly LedgerMessageSummary[];
  /** Present when more match: pass it as `cursor` for the next page. */
  readonly nextCursor?: string;
}

export type LedgerReportGrouping = 'day' | 'sender' | 'tag';

export interface LedgerDeliveryReportQuery {
  readonly from: Date | string;
  readonly to: Date | string;
  /** @default 'day' (Asia/Bangkok days) */
  readonly groupBy?: LedgerReportGrouping;
}

export interface LedgerDeliveryGroup {
  /** The day (`YYYY-MM-DD`, Asia/Bangkok), the sender or the tag. */
  readonly key: string;
  readonly counts: Readonly<Record<LedgerMessageStatus, number>>;
  readonly total: number;
  /**
   * delivered ÷ (accepted + delivered + undelivered + expired): of what ThaiBulkSMS took, the part
   * reported delivered. Null when it took nothing.
   */
  readonly deliveryRate: number | null;
  readonly creditsUsed: Readonly<Record<CreditType, number>>;
}

export interface LedgerDeliveryReport {
  readonly from: Date;
  readonly to: Date;
  readonly groupBy: LedgerReportGrouping;
  readonly groups: readonly LedgerDeliveryGroup[];
}

/** One day of the chart: `sent` = taken by ThaiBulkSMS; `failed` = rejected, undelivered or expired. */
export interface LedgerDailyPoint {
  readonly day: string;
  readonly sent: number;
  readonly delivered: number;
  readonly failed: number;
  readonly deliveryRate: number | null;
}

/** An OTP request as the ledger keeps it (the token only as a hash, the PIN never). */
export interface LedgerOtp {
  readonly phone: string;
  readonly refno?: string;
  readonly status: LedgerOtpStatus;
  /** Wrong codes tried against it. */
  readonly failedAttempts: number;
  readonly createdAt: Date;
  readonly statusAt: Date;
  readonly registration: string;
  readonly errorName?: string;
}

/** What `erase(phone)` deleted. */
export interface LedgerErasure {
  readonly messages: number;
  readonly otps: number;
  readonly events: number;
  readonly unknownReports: number;
}

export interface LedgerPurgeResult {
  /** Records of days before this day (`YYYY-MM-DD`, Asia/Bangkok) are gone. */
  readonly beforeDay: string;
  readonly partitionsDropped: number;
  readonly unknownReports: number;
}

/** The store's counters, as health and metrics read them. */
export interface LedgerStats {
  readonly state: 'up' | 'buffering' | 'down';
  /** Rows waiting in memory for the database. */
  readonly buffered: number;
  /** Rows dropped because the buffer was full (or the ledger had already stopped), since start. */
  readonly overflowed: number;
  /** Writes that failed and went to the buffer, since start. */
  readonly failedWrites: number;
  /** Rows the database refused for their content (a data or constraint error), dropped and logged, since start. */
  readonly refusedWrites: number;
  /** Delivery reports for message ids the ledger did not hold, since start. */
  readonly unknownReports: number;
}
