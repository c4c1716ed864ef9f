import { Injectable, Logger, Optional } from '@nestjs/common';
import { isThaiMobile, maskPhone } from '@app/thai-bulk-sms/helpers';
import { MessageLedger } from '@app/thai-bulk-sms/ledger';
import { ApiException } from '../common/api-error';

/** What one erasure deleted, per store. */
export interface SubjectErasure {
  readonly messages: number;
  readonly otps: number;
}

/**
 * A data subject's erasure request (PDPA): deletes every record of one phone number the app keeps.
 * Today that is the message ledger (messages with their timelines, OTP requests, unmatched
 * delivery reports); every other store of phone numbers joins here, so one request erases all.
 */
@Injectable()
export class SubjectErasureService {
  private readonly logger = new Logger('SubjectErasure');

  constructor(@Optional() private readonly ledger?: MessageLedger) {}

  /** `phone` in any Thai form; ERROR_MSISDN (400) when it is none. */
  async erase(phone: string): Promise<SubjectErasure> {
    // Checked here too, so the answer does not depend on which stores are on (LEDGER_ENABLED).
    if (!isThaiMobile(phone)) throw new ApiException(400, 'ERROR_MSISDN', 'phone must be a Thai mobile number.');
    const erased = this.ledger ? await this.ledger.erase(phone) : { messages: 0, otps: 0 };
    // The count, never the number: an erasure log must not keep what it erased.
    this.logger.log({ msg: 'Subject erased', phone: maskPhone(phone), messages: erased.messages, otps: erased.otps });
    return { messages: erased.messages, otps: erased.otps };
  }
}
