import { Injectable, Logger, Optional } from '@nestjs/common';
import { isThaiMobile, maskPhone } from '@app/thai-bulk-sms/helpers';
import type { SuppressionErasureOutcome } from '@app/thai-bulk-sms/compliance';
import { MessageLedger } from '@app/thai-bulk-sms/ledger';
import { ApiException } from '../common/api-error';
import { OptOutErasure } from '../compliance/opt-out-erasure';

/** What one erasure deleted, per store. */
export interface SubjectErasure {
  readonly messages: number;
  readonly otps: number;
  /** The opt-out list: removed, kept as a keyed hash (the person asked to stay opted out), or not listed. */
  readonly optOut: SuppressionErasureOutcome;
}

/**
 * A data subject's erasure request (PDPA): deletes every record of one phone number the app keeps.
 * That is the message ledger (messages with their timelines, OTP requests, unmatched delivery
 * reports) and the opt-out list; every other store of phone numbers joins here, so one request
 * erases all.
 */
@Injectable()
export class SubjectErasureService {
  private readonly logger = new Logger('SubjectErasure');

  constructor(
    private readonly optOuts: OptOutErasure,
    @Optional() private readonly ledger?: MessageLedger,
  ) {}

  /** `phone` in any Thai form; ERROR_MSISDN (400) when it is none. */
  async erase(phone: string): Promise<SubjectErasure> {
    // Checked here too, so the answer does not depend on which stores are on (LEDGER_ENABLED).
    if (!isThaiMobile(phone)) throw new ApiException(400, 'ERROR_MSISDN', 'phone must be a Thai mobile number.');
    const erased = this.ledger ? await this.ledger.erase(phone) : { messages: 0, otps: 0 };
    const { optOut } = await this.optOuts.erase(phone);
    // The counts, never the number: an erasure log must not keep what it erased.
    this.logger.log({ msg: 'Subject erased', phone: maskPhone(phone), ...erased, optOut });
    return { messages: erased.messages, otps: erased.otps, optOut };
  }
}
