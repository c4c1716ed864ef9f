import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ThaiBulkSmsClock } from '../client/clock';
import { ResolvedLedgerOptions } from './ledger.options';
import { LedgerStore } from './ledger.store';
import { LedgerWriter } from './ledger.writer';
import { MessageLedger } from './message-ledger.service';
import { THAI_BULK_SMS_LEDGER_CLOCK, THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS } from './thai-bulk-sms-ledger.tokens';

/**
 * Opens the store at start (migrations, day partitions), runs the purge every `purgeIntervalMs`
 * on the ledger's clock (which also creates the coming days' partitions), and at shutdown writes
 * what it can of the buffer and closes the store. It closes at `onApplicationShutdown`, after the
 * HTTP server and queue workers have finished what was in flight: their sends still record, and an
 * opt-out list in the ledger's database still answers them.
 */
@Injectable()
export class LedgerLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ThaiBulkSmsLedger');
  private readonly stop = new AbortController();
  private loop?: Promise<void>;
  /** The store closes once, whether a failed start or the shutdown (or both) asks first. */
  private closing?: Promise<void>;

  constructor(
    @Inject(LedgerStore) private readonly store: LedgerStore,
    @Inject(LedgerWriter) private readonly writer: LedgerWriter,
    @Inject(MessageLedger) private readonly ledger: MessageLedger,
    @Inject(THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS) private readonly options: ResolvedLedgerOptions,
    @Inject(THAI_BULK_SMS_LEDGER_CLOCK) private readonly clock: ThaiBulkSmsClock,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.store.start(new Date(this.clock.now()));
    } catch (error) {
      // Nest will not call the shutdown hooks of an app that failed to start: close here.
      await this.closeStore().catch(() => undefined);
      throw error;
    }
  }

  onApplicationBootstrap(): void {
    if (this.options.purgeIntervalMs > 0) this.loop = this.purgeEvery(this.options.purgeIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await this.writer.stop();
    await this.closeStore();
  }

  private closeStore(): Promise<void> {
    return (this.closing ??= this.store.close());
  }

  private async purgeEvery(intervalMs: number): Promise<void> {
    for (;;) {
      try {
        await this.clock.sleep(intervalMs, this.stop.signal);
      } catch {
        return; // stopped
      }
      try {
        await this.store.ensurePartitions(new Date(this.clock.now()));
        const result = await this.ledger.purge();
        if (result.partitionsDropped || result.unknownReports) {
          this.logger.log(
            `purged records before ${result.beforeDay}: ${result.partitionsDropped} day partition(s), ${result.unknownReports} unmatched report(s)`,
          );
        }
      } catch (error) {
        this.logger.warn(
          `purge failed (${error instanceof Error ? error.name : typeof error}); next try in ${intervalMs} ms`,
        );
      }
    }
  }
}
