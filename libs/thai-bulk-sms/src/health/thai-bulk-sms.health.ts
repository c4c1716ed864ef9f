import { Inject, Injectable } from '@nestjs/common';
import { ThaiBulkSmsError } from '../errors';
import { CreditService } from '../sms/credit.service';
import { CreditType } from '../thai-bulk-sms.options';

export interface ThaiBulkSmsHealthOptions {
  /** Report `down` when the pool holds fewer credits than this. @default 0 (any balance is fine) */
  readonly minCredit?: number;
  /** Which pool `minCredit` applies to. @default 'standard' */
  readonly pool?: CreditType;
  readonly timeoutMs?: number;
}

/** Terminus' indicator result shape, spelled out so @nestjs/terminus stays an optional peer. */
export type ThaiBulkSmsHealthResult = Record<string, { status: 'up' | 'down'; [detail: string]: unknown }>;

/**
 * For @nestjs/terminus: `() => indicator.isHealthy('thaibulksms', { minCredit: 100 })` inside
 * `health.check([...])`. Up when the credit call answers (so the API is reachable and the
 * credentials work) and the balance is at least `minCredit`. Terminus counts a `down` result as
 * failed, so nothing from terminus is imported here.
 */
@Injectable()
export class ThaiBulkSmsHealthIndicator {
  constructor(@Inject(CreditService) private readonly credit: CreditService) {}

  async isHealthy(key = 'thaibulksms', options: ThaiBulkSmsHealthOptions = {}): Promise<ThaiBulkSmsHealthResult> {
    const pool = options.pool ?? 'standard';
    const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    try {
      const balance = await this.credit.getCredit({ signal });
      const minCredit = options.minCredit ?? 0;
      if (balance[pool] < minCredit) {
        return { [key]: { status: 'down', ...balance, reason: `${pool} credit below ${minCredit}` } };
      }
      return { [key]: { status: 'up', ...balance } };
    } catch (error) {
      // Only the error's name: health endpoints are often public.
      const reason = error instanceof ThaiBulkSmsError ? error.errorName : 'unreachable';
      return { [key]: { status: 'down', reason } };
    }
  }
}
