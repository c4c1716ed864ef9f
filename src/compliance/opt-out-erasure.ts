import { Injectable, Logger } from '@nestjs/common';
import { SuppressionErasureOutcome, SuppressionList } from '@app/thai-bulk-sms/compliance';
import { maskPhone } from '@app/thai-bulk-sms/helpers';

/** What a subject's erasure did to the opt-out list. */
export interface OptOutErasureResult {
  /**
   * `removed`: the entry is gone; `kept-as-hash`: the person asked to stay opted out, so only a
   * keyed hash of the number is kept (marketing to it is still refused); `not-listed`: nothing stored.
   */
  readonly optOut: SuppressionErasureOutcome;
}

/**
 * The opt-out list's part of `DELETE /subjects/:phone` (PDPA erasure): call `erase(phone)` beside
 * `MessageLedger.erase(phone)`. Why a hash is kept for some: README, "Compliance".
 */
@Injectable()
export class OptOutErasure {
  private readonly logger = new Logger('Compliance');

  constructor(private readonly suppressions: SuppressionList) {}

  async erase(phone: string): Promise<OptOutErasureResult> {
    const optOut = await this.suppressions.eraseSubject(phone);
    if (optOut !== 'not-listed') this.logger.log(`opt-out of ${maskPhone(phone)} erased: ${optOut}`);
    return { optOut };
  }
}
