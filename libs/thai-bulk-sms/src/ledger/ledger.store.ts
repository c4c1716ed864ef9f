import {
  LedgerDailyPoint,
  LedgerDeliveryGroup,
  LedgerErasure,
  LedgerMessage,
  LedgerMessageBatch,
  LedgerMessageStatus,
  LedgerOtp,
  LedgerPage,
  LedgerReportGrouping,
  LedgerWrite,
} from './ledger.types';

/** A search with its input checked: a normalised phone, dates, a bounded limit, a decoded cursor. */
export interface LedgerStoreSearch {
  readonly phone?: string;
  readonly status?: LedgerMessageStatus;
  readonly tag?: string;
  readonly sender?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  /** Rows strictly older than this key (the last row of the previous page). */
  readonly after?: LedgerRowKey;
}

/** A row's place in the newest-first order, and its identity. */
export interface LedgerRowKey {
  readonly createdAt: Date;
  readonly requestId: string;
  readonly ordinal: number;
}

/**
 * Where the ledger's records live. Swap it by providing another subclass under this class as the
 * token. Every write is idempotent (a write retried after a timeout that had in fact landed adds
 * nothing) and atomic per vendor request (its rows are all stored, or none).
 */
export abstract class LedgerStore {
  /** Applies migrations when asked, and creates the day partitions from yesterday to `daysAhead` after `now`. */
  abstract start(now: Date): Promise<void>;
  abstract close(): Promise<void>;
  /** Rejects when the database does not answer. */
  abstract ping(): Promise<void>;
  /** Writes; resolves with how many delivery reports matched no message (kept apart). */
  abstract write(write: LedgerWrite): Promise<{ readonly unknownReports: number }>;
  /**
   * The rows of several vendor requests, with the guarantees of `write` for each (idempotent per
   * request). The writer hands over the requests that finished while the previous write ran; a
   * store that can write them in one statement overrides this. By default, one `write` each.
   */
  async writeMessages(batches: readonly LedgerMessageBatch[]): Promise<{ readonly unknownReports: number }> {
    for (const batch of batches) await this.write({ kind: 'messages', batch });
    return { unknownReports: 0 };
  }
  /** Day partitions from yesterday to `daysAhead` days after `now`. */
  abstract ensurePartitions(now: Date): Promise<void>;
  abstract findMessage(messageId: string): Promise<LedgerMessage | undefined>;
  abstract searchMessages(search: LedgerStoreSearch): Promise<LedgerPage>;
  /** The number's OTP requests (66XXXXXXXXX), newest first. */
  abstract findOtps(msisdn: string, limit: number): Promise<LedgerOtp[]>;
  abstract deliveryReport(from: Date, to: Date, groupBy: LedgerReportGrouping): Promise<LedgerDeliveryGroup[]>;
  /** One point per Bangkok day from `firstDay`, `days` of them, zeros included. */
  abstract dailySeries(firstDay: string, days: number): Promise<LedgerDailyPoint[]>;
  /** Deletes every record of the number (66XXXXXXXXX). */
  abstract erase(msisdn: string): Promise<LedgerErasure>;
  /** Drops every record of days before `day` (Bangkok): whole partitions, then small batches. */
  abstract purgeBefore(day: string): Promise<{ readonly partitionsDropped: number; readonly unknownReports: number }>;
  /** Delivery reports kept apart because their message id was not in the ledger. */
  abstract countUnknownReports(): Promise<number>;
}
