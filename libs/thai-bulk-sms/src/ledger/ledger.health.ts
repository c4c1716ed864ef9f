import { Inject, Injectable } from '@nestjs/common';
import { ResolvedLedgerOptions } from './ledger.options';
import { LedgerStore } from './ledger.store';
import { LedgerWriter } from './ledger.writer';
import { THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS } from './thai-bulk-sms-ledger.tokens';

export interface LedgerHealthOptions {
  /**
   * Report `down` while the database does not answer (rows wait in the buffer, sends go on).
   * @default false (only an overflowing buffer, which loses rows, is `down`)
   */
  readonly databaseDownIsDown?: boolean;
}

/** Terminus' indicator result shape, spelled out so @nestjs/terminus stays an optional peer. */
export type LedgerHealthResult = Record<string, { status: 'up' | 'down'; [detail: string]: unknown }>;

/**
 * For @nestjs/terminus: `() => ledgerHealth.isHealthy('ledger')` inside `health.check([...])`.
 * `state`: `up`; `buffering` (writes fail, `buffered` rows wait in memory, sends go on);
 * `unreachable` (nothing buffered, but the database does not answer a ping); `down` (the buffer
 * overflowed: `overflowed` rows were dropped). Only `down` fails the check unless
 * `databaseDownIsDown`, so a database outage alone does not take an app that sends out of service.
 */
@Injectable()
export class LedgerHealthIndicator {
  constructor(
    @Inject(LedgerWriter) private readonly writer: LedgerWriter,
    @Inject(LedgerStore) private readonly store: LedgerStore,
    @Inject(THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS) private readonly options: ResolvedLedgerOptions,
  ) {}

  async isHealthy(key = 'ledger', options: LedgerHealthOptions = {}): Promise<LedgerHealthResult> {
    const { state: written, buffered, overflowed, unknownReports } = this.writer.stats();
    const state = written === 'up' && !(await this.answers()) ? 'unreachable' : written;
    const down = state === 'down' || (state !== 'up' && options.databaseDownIsDown === true);
    return { [key]: { status: down ? 'down' : 'up', state, buffered, overflowed, unknownReports } };
  }

  private async answers(): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, this.options.writeTimeoutMs, false)));
    const ping = this.store.ping().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
