import { Inject, Injectable } from '@nestjs/common';
import type {
  DeliveryReportObserved,
  OtpRequestObserved,
  OtpVerifyObserved,
  SmsRequestObserved,
} from '../observers/thai-bulk-sms.observer';
import { ThaiBulkSmsObserver } from '../observers/thai-bulk-sms.observer';
import { messageBatchOf, otpRequestOf, otpVerifyOf, reportWriteOf } from './ledger.capture';
import { ResolvedLedgerOptions } from './ledger.options';
import { LedgerWriter } from './ledger.writer';
import { THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS } from './thai-bulk-sms-ledger.tokens';

/**
 * Records what every ThaiBulkSmsModule registration of the app does: the services await it
 * before a send resolves, so a send's rows can be read as soon as the caller has its answer
 * (unless the database is down: then they wait in the writer's buffer).
 */
@ThaiBulkSmsObserver()
@Injectable()
export class LedgerObserver implements ThaiBulkSmsObserver {
  /** The writer bounds each write by `writeTimeoutMs` and then buffers it: wait for that, and a little. */
  readonly observerTimeoutMs: number;

  constructor(
    @Inject(LedgerWriter) private readonly writer: LedgerWriter,
    @Inject(THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS) private readonly options: ResolvedLedgerOptions,
  ) {
    this.observerTimeoutMs = options.writeTimeoutMs + 1_000;
  }

  onSmsRequest(event: SmsRequestObserved): Promise<void> {
    return this.writer.record({ kind: 'messages', batch: messageBatchOf(event, this.options.messageText) });
  }

  onOtpRequest(event: OtpRequestObserved): Promise<void> {
    return this.writer.record({ kind: 'otp-request', otp: otpRequestOf(event) });
  }

  async onOtpVerify(event: OtpVerifyObserved): Promise<void> {
    const verify = otpVerifyOf(event);
    if (verify) await this.writer.record({ kind: 'otp-verify', verify });
  }

  onDeliveryReport(event: DeliveryReportObserved): Promise<void> {
    return this.writer.record({ kind: 'report', report: reportWriteOf(event) });
  }
}
