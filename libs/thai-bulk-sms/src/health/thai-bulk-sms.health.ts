import { Inject, Injectable } from '@nestjs/common';
import { ThaiBulkSmsClock } from '../client/clock';
import { ThaiBulkSmsError } from '../errors';
import { CreditService } from '../sms/credit.service';
import { CreditBalance } from '../sms/sms.types';
import { CreditType } from '../thai-bulk-sms.options';

/** Default of `cacheTtlMs`: how long one upstream check answers every health check. */
export const DEFAULT_HEALTH_CACHE_TTL_MS = 10_000;

export interface ThaiBulkSmsHealthOptions {
  /** Report `down` when the pool holds fewer credits than this. @default 0 (any balance is fine) */
  readonly minCredit?: number;
  /** Which credit pool `minCredit` applies to. @default 'standard' */
  readonly creditType?: CreditType;
  /** Give up on the credit call after this long (then `down`, `unreachable`). @default the client's `timeoutMs` */
  readonly timeoutMs?: number;
  /**
   * How long one upstream check (its balance, or its failure) answers every call, so that any
   * number of health requests costs the account at most one `/credit` call per this long.
   * @default 10000
   */
  readonly cacheTtlMs?: number;
}

/** Terminus' indicator result shape, spelled out so @nestjs/terminus stays an optional peer. */
export type ThaiBulkSmsHealthResult = Record<string, { status: 'up' | 'down'; [detail: string]: unknown }>;

type CheckOutcome = { readonly balance: CreditBalance } | { readonly reason: string } | { readonly deferred: true };

/**
 * For @nestjs/terminus: `() => indicator.isHealthy('thaibulksms', { minCredit: 100 })` inside
 * `health.check([...])`. Up when the credit call answers (so the API is reachable and the
 * credentials work) and the balance is at least `minCredit`. Terminus counts a `down` result as
 * failed, so nothing from terminus is imported here.
 *
 * A health endpoint is often public, so a check must cost the account almost nothing and never
 * hold a send back:
 * - one upstream check answers every call for `cacheTtlMs`, and concurrent calls share the one
 *   check in flight (at most one at a time);
 * - the check takes a rate-limiter slot only when one is free at that moment (it never waits
 *   behind sends): when every slot is taken by sends, the last result stands (sends going out are
 *   the API answering) and, before any result, the answer is `up` with `deferred: true`.
 */
@Injectable()
export class ThaiBulkSmsHealthIndicator {
  private last?: { readonly at: number; readonly outcome: CheckOutcome };
  private inFlight?: Promise<CheckOutcome>;

  constructor(
    @Inject(CreditService) private readonly credit: CreditService,
    @Inject(ThaiBulkSmsClock) private readonly clock: ThaiBulkSmsClock,
  ) {}

  async isHealthy(key = 'thaibulksms', options: ThaiBulkSmsHealthOptions = {}): Promise<ThaiBulkSmsHealthResult> {
    const outcome = await this.outcome(options.cacheTtlMs ?? DEFAULT_HEALTH_CACHE_TTL_MS, options.timeoutMs);
    // Only the error's name: health endpoints are often public.
    if ('reason' in outcome) return { [key]: { status: 'down', reason: outcome.reason } };
    if ('deferred' in outcome) return { [key]: { status: 'up', deferred: true } };
    const pool = options.creditType ?? 'standard';
    const minCredit = options.minCredit ?? 0;
    if (outcome.balance[pool] < minCredit) {
      return { [key]: { status: 'down', ...outcome.balance, reason: `${pool} credit below ${minCredit}` } };
    }
    return { [key]: { status: 'up', ...outcome.balance } };
  }

  private outcome(cacheTtlMs: number, timeoutMs: number | undefined): Promise<CheckOutcome> {
    if (this.last && this.clock.now() - this.last.at < cacheTtlMs) return Promise.resolve(this.last.outcome);
    this.inFlight ??= this.check(timeoutMs).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async check(timeoutMs: number | undefined): Promise<CheckOutcome> {
    const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
    let outcome: CheckOutcome;
    try {
      const balance = await this.credit.probeCredit({ signal });
      // No free slot: not checked, and not remembered, so the next call tries again.
      if (balance === undefined) return this.last?.outcome ?? { deferred: true };
      outcome = { balance };
    } catch (error) {
      outcome = { reason: error instanceof ThaiBulkSmsError ? error.errorName : 'unreachable' };
    }
    this.last = { at: this.clock.now(), outcome };
    return outcome;
  }
}
