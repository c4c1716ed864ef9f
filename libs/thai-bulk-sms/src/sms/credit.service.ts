import { Inject, Injectable } from '@nestjs/common';
import { ThaiBulkSmsClient } from '../client/thai-bulk-sms.client';
import { CreditBalance } from './sms.types';

/** Balances of the account's two credit pools. */
@Injectable()
export class CreditService {
  constructor(@Inject(ThaiBulkSmsClient) private readonly client: ThaiBulkSmsClient) {}

  /** GET /credit. Idempotent, so retried on timeouts and vendor failures per the retry policy. */
  getCredit(options: { signal?: AbortSignal } = {}): Promise<CreditBalance> {
    return this.client.getCredit(options.signal);
  }

  /**
   * GET /credit once, only if the rate limiter has a slot free right now (never waits behind
   * sends, never retried); undefined without a call when it has none. What health checks use.
   */
  probeCredit(options: { signal?: AbortSignal } = {}): Promise<CreditBalance | undefined> {
    return this.client.probeCredit(options.signal);
  }
}
