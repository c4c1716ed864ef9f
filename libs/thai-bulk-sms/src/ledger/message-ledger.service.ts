import { Inject, Injectable } from '@nestjs/common';
import { ThaiBulkSmsClock } from '../client/clock';
import { SuppressionListOptions } from '../compliance/suppression-list';
import { LedgerSuppressionList } from './ledger-suppression-list';
import { PostgresLedgerStore } from './postgres-ledger.store';
import { addDays, bangkokDay } from './ledger.days';
import { LedgerQueryError, LedgerUnavailableError } from '../errors/ledger.errors';
import { ResolvedLedgerOptions } from './ledger.options';
import { DEFAULT_SEARCH_LIMIT, messageIdOf, msisdnOf, reportRangeOf, storeSearchOf } from './ledger.query';
import { LedgerStore } from './ledger.store';
import {
  LedgerDailyPoint,
  LedgerDeliveryReport,
  LedgerDeliveryReportQuery,
  LedgerErasure,
  LedgerMessage,
  LedgerOtp,
  LedgerPage,
  LedgerPurgeResult,
  LedgerSearchQuery,
  LedgerStats,
} from './ledger.types';
import { LedgerWriter } from './ledger.writer';
import { THAI_BULK_SMS_LEDGER_CLOCK, THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS } from './thai-bulk-sms-ledger.tokens';

export const MAX_SERIES_DAYS = 92;

/**
 * The message ledger: every SMS recipient and OTP request the app's ThaiBulkSmsModule
 * registrations handled, with delivery reports applied. What an app's routes call: each read,
 * report and erasure is one call. Bad input throws LedgerQueryError (a 400 through the library's
 * filter); a database that does not answer, LedgerUnavailableError.
 */
@Injectable()
export class MessageLedger {
  constructor(
    @Inject(LedgerStore) private readonly store: LedgerStore,
    @Inject(LedgerWriter) private readonly writer: LedgerWriter,
    @Inject(THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS) private readonly options: ResolvedLedgerOptions,
    @Inject(THAI_BULK_SMS_LEDGER_CLOCK) private readonly clock: ThaiBulkSmsClock,
  ) {}

  /** The recipient a vendor message id names, with its timeline; undefined when unknown. */
  async findMessage(messageId: string): Promise<LedgerMessage | undefined> {
    const id = messageIdOf(messageId);
    return this.read('find a message', () => this.store.findMessage(id));
  }

  /** Newest first, `limit` per page (default 50, at most 200); pass `nextCursor` back as `cursor`. */
  async searchMessages(query: LedgerSearchQuery = {}): Promise<LedgerPage> {
    const search = storeSearchOf(query);
    return this.read('search messages', () => this.store.searchMessages(search));
  }

  /** A number's OTP requests (any Thai form), newest first, `limit` of them (1–200, default 50). */
  async findOtps(phone: string, limit = DEFAULT_SEARCH_LIMIT): Promise<LedgerOtp[]> {
    const msisdn = msisdnOf(phone);
    const { limit: bounded } = storeSearchOf({ limit });
    return this.read('find OTP requests', () => this.store.findOtps(msisdn, bounded));
  }

  /** Counts per status, delivery rate and credits per pool, per Bangkok day, sender or tag. */
  async deliveryReport(query: LedgerDeliveryReportQuery): Promise<LedgerDeliveryReport> {
    const { from, to, groupBy } = reportRangeOf(query);
    const groups = await this.read('build a report', () => this.store.deliveryReport(from, to, groupBy));
    return { from, to, groupBy, groups };
  }

  /** Sent, delivered and failed per Bangkok day for the last `days` days, today included (for a chart). */
  async dailySeries(days = 14): Promise<LedgerDailyPoint[]> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_SERIES_DAYS) {
      throw new LedgerQueryError('ERROR_QUERY_STRING', `days must be an integer from 1 to ${MAX_SERIES_DAYS}.`);
    }
    const today = bangkokDay(this.clock.now());
    return this.read('build the daily series', () => this.store.dailySeries(addDays(today, 1 - days), days));
  }

  /**
   * Deletes every record of a number, in any Thai form: its messages and their timelines, its
   * OTP requests, the unmatched delivery reports naming it, and what of it waits in the buffer.
   */
  async erase(phone: string): Promise<LedgerErasure> {
    const msisdn = msisdnOf(phone);
    const buffered = this.writer.forget(msisdn);
    // A write of this number under way now would land after the delete: wait for it first.
    await this.writer.settled();
    const stored = await this.read('erase a number', () => this.store.erase(msisdn));
    return { ...stored, messages: stored.messages + buffered.messages, otps: stored.otps + buffered.otps };
  }

  /** Drops every record of days older than `retentionDays` (whole Bangkok days). */
  async purge(): Promise<LedgerPurgeResult> {
    const beforeDay = addDays(bangkokDay(this.clock.now()), -this.options.retentionDays);
    const result = await this.read('purge', () => this.store.purgeBefore(beforeDay));
    return { beforeDay, ...result };
  }

  /**
   * The opt-out list in the ledger's database (table `suppression`), sharing its connection and
   * waiting for its migrations: give it to ThaiBulkSmsComplianceModule as `suppressionList`. Call
   * it once (each call is a new store object over the same table). Only the library's own store
   * has the table: a LedgerStore of your own throws here.
   */
  suppressionList(options: SuppressionListOptions = {}): LedgerSuppressionList {
    if (!(this.store instanceof PostgresLedgerStore))
      throw new Error('MessageLedger.suppressionList: the ledger store is not the library PostgreSQL/PGlite one');
    return this.store.suppressionList(options);
  }

  /** Tries to write what waits in the buffer now; true when nothing is left. */
  flush(): Promise<boolean> {
    return this.writer.flush();
  }

  /** State, buffered rows, overflow and unmatched delivery reports since start. */
  stats(): LedgerStats {
    return this.writer.stats();
  }

  /** Delivery reports kept apart in the database because their message id is not in the ledger. */
  unknownReports(): Promise<number> {
    return this.read('count unknown reports', () => this.store.countUnknownReports());
  }

  private async read<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new LedgerUnavailableError(what, error);
    }
  }
}
