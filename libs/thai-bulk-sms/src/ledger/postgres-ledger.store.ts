import { sql } from 'kysely';
import { SuppressionListOptions } from '../compliance/suppression-list';
import { LedgerSuppressionList } from './ledger-suppression-list';
import { LedgerDatabase } from './ledger.connection';
import { addDays, bangkokDay, daysBetween, dayStart } from './ledger.days';
import { applyLedgerMigrations } from './ledger.migrations';
import { rowCount } from './ledger.packed-batch';
import { ensurePartitions } from './ledger.partitions';
import { dailySeries, deliveryReport, findMessage, findOtps } from './ledger.reads';
import { searchMessages } from './ledger.search';
import { eraseNumber, purgeBefore } from './ledger.retention';
import { LedgerStore, LedgerStoreSearch } from './ledger.store';
import {
  LedgerDailyPoint,
  LedgerDeliveryGroup,
  LedgerErasure,
  LedgerMessageBatch,
  LedgerMessage,
  LedgerOtp,
  LedgerPage,
  LedgerReportGrouping,
  LedgerReportWrite,
  LedgerWrite,
} from './ledger.types';
import {
  applyOtpVerify,
  applyReport,
  forgetUnknownReport,
  insertMessages,
  insertOtpRequest,
  keepUnknownReport,
} from './ledger.writes';

export interface PostgresLedgerStoreSettings {
  readonly schema: string;
  readonly migrations: boolean;
  readonly partitionDaysAhead: number;
}

/** The ledger on PostgreSQL: a server through `pg`, or the embedded PGlite; the same SQL for both. */
export class PostgresLedgerStore extends LedgerStore {
  /** Days whose partitions are known to exist, so a write never asks. */
  private readonly days = new Set<string>();
  /**
   * Settles when `start` has migrated and made the partitions. A write waits for it: a queue
   * worker may send (and be observed) before this module's start has run.
   */
  private readonly started: Promise<void>;
  private markStarted!: (outcome: { readonly error?: unknown }) => void;

  constructor(
    readonly database: LedgerDatabase,
    private readonly settings: PostgresLedgerStoreSettings,
  ) {
    super();
    this.started = new Promise<void>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- start's own failure, passed on
      this.markStarted = ({ error }) => (error === undefined ? resolve() : reject(error));
    });
    // Awaited by writes only; a failed start fails the app's bootstrap on its own.
    this.started.catch(() => undefined);
  }

  private get db() {
    return this.database.db;
  }

  private get schema() {
    return this.settings.schema;
  }

  async start(now: Date): Promise<void> {
    try {
      if (this.settings.migrations) await applyLedgerMigrations(this.db as never, this.schema);
      await this.ensurePartitions(now);
      this.markStarted({});
    } catch (error) {
      this.markStarted({ error });
      throw error;
    }
  }

  close(): Promise<void> {
    return this.database.close();
  }

  /** The opt-out list in this database (table `suppression`), on this store's connection. */
  suppressionList(options: SuppressionListOptions = {}): LedgerSuppressionList {
    return new LedgerSuppressionList(this.db, this.schema, this.started, options);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async ensurePartitions(now: Date): Promise<void> {
    const today = bangkokDay(now);
    await this.ensureDays(daysBetween(addDays(today, -1), addDays(today, this.settings.partitionDaysAhead)));
  }

  private async ensureDays(days: readonly string[]): Promise<void> {
    const missing = days.filter((day) => !this.days.has(day));
    if (missing.length === 0) return;
    await ensurePartitions(this.db, this.schema, missing);
    for (const day of missing) this.days.add(day);
  }

  async write(write: LedgerWrite): Promise<{ readonly unknownReports: number }> {
    await this.started;
    switch (write.kind) {
      case 'messages':
        return this.writeMessages([write.batch]);
      case 'report':
        return { unknownReports: (await this.applyOrKeep(write.report)) ? 0 : 1 };
      case 'otp-request':
        await this.ensureDays([bangkokDay(write.otp.createdAt)]);
        await insertOtpRequest(this.db, this.schema, write.otp);
        return { unknownReports: 0 };
      case 'otp-verify':
        await applyOtpVerify(this.db, this.schema, write.verify);
        return { unknownReports: 0 };
    }
  }

  /** The batches' rows in one statement; a batch whose request is already stored adds nothing. */
  override async writeMessages(batches: readonly LedgerMessageBatch[]): Promise<{ readonly unknownReports: number }> {
    // One request once per statement (a request's rows are gated by its own insert).
    const seen = new Set<string>();
    const unique = batches.filter(
      (batch) => rowCount(batch) > 0 && !seen.has(batch.requestId) && seen.add(batch.requestId),
    );
    if (unique.length === 0) return { unknownReports: 0 };
    await this.ensureDays([...new Set(unique.map((batch) => bangkokDay(batch.createdAt)))]);
    const early = await insertMessages(this.db, this.schema, unique);
    // Reports that came before their message (kept apart until now) apply now.
    for (const report of early) {
      if (await applyReport(this.db, this.schema, report))
        await forgetUnknownReport(this.db, this.schema, report.eventKey);
    }
    return { unknownReports: 0 };
  }

  private async applyOrKeep(report: LedgerReportWrite): Promise<boolean> {
    if (report.messageId !== undefined && (await applyReport(this.db, this.schema, report))) return true;
    await keepUnknownReport(this.db, this.schema, report);
    return false;
  }

  findMessage(messageId: string): Promise<LedgerMessage | undefined> {
    return findMessage(this.db, this.schema, messageId);
  }

  searchMessages(search: LedgerStoreSearch): Promise<LedgerPage> {
    return searchMessages(this.db, this.schema, search);
  }

  findOtps(msisdn: string, limit: number): Promise<LedgerOtp[]> {
    return findOtps(this.db, this.schema, msisdn, limit);
  }

  deliveryReport(from: Date, to: Date, groupBy: LedgerReportGrouping): Promise<LedgerDeliveryGroup[]> {
    return deliveryReport(this.db, this.schema, from, to, groupBy);
  }

  dailySeries(firstDay: string, days: number): Promise<LedgerDailyPoint[]> {
    const lastDay = addDays(firstDay, days - 1);
    return dailySeries(
      this.db,
      this.schema,
      daysBetween(firstDay, lastDay),
      dayStart(firstDay),
      dayStart(addDays(lastDay, 1)),
    );
  }

  erase(msisdn: string): Promise<LedgerErasure> {
    return eraseNumber(this.db, this.schema, msisdn);
  }

  async purgeBefore(day: string): Promise<{ readonly partitionsDropped: number; readonly unknownReports: number }> {
    const result = await purgeBefore(this.db, this.schema, day);
    for (const known of [...this.days]) if (known < day) this.days.delete(known);
    return result;
  }

  async countUnknownReports(): Promise<number> {
    const { rows } = await sql<{
      count: number;
    }>`select count(*)::int as count from ${sql.id(this.schema, 'unknown_report')}`.execute(this.db);
    return Number(rows[0]?.count ?? 0);
  }
}
