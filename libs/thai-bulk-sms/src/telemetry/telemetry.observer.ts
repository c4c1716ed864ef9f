import { Inject, Injectable } from '@nestjs/common';
import {
  DeliveryReportObserved,
  OtpVerifyObserved,
  SmsRequestObserved,
  ThaiBulkSmsObserver,
} from '../observers/thai-bulk-sms.observer';
import { ATTR, boundedName } from './telemetry.attributes';
import { ThaiBulkSmsMetrics } from './telemetry.metrics';

/**
 * The counters that follow from what the services tell observers: recipients by status, credits
 * used and remaining per pool, OTP verifications and delivery reports. Synchronous: it never
 * holds a send up.
 */
@ThaiBulkSmsObserver()
@Injectable()
export class ThaiBulkSmsTelemetryObserver implements ThaiBulkSmsObserver {
  constructor(@Inject(ThaiBulkSmsMetrics) private readonly metrics: ThaiBulkSmsMetrics) {}

  /**
   * accepted and rejected as the vendor answered, plus the numbers refused locally; a request
   * that failed counts its numbers as unknown when it may have arrived, else as rejected.
   */
  onSmsRequest(event: SmsRequestObserved): void {
    const { metrics } = this;
    const registration = event.registration;
    const count = (status: string, n: number) => {
      if (n > 0) metrics.recipients.add(n, { [ATTR.registration]: registration, [ATTR.recipientStatus]: status });
    };
    count('rejected', event.localRejects.length);
    const { result } = event;
    if (!result) {
      const { partial } = event;
      if (partial) {
        count('accepted', partial.accepted.length);
        count('rejected', partial.rejected.length);
        count('unknown', partial.unconfirmed.length);
      } else count(event.mayHaveTakenEffect ? 'unknown' : 'rejected', event.msisdns.length);
      return;
    }
    count('accepted', result.accepted.length);
    count('rejected', result.rejected.length);
    const pool = { [ATTR.registration]: registration, [ATTR.creditPool]: result.creditType };
    if (result.creditsUsed > 0) metrics.creditsUsed.add(result.creditsUsed, pool);
    metrics.setCreditsRemaining(registration, result.creditType, result.creditsRemaining);
  }

  onOtpVerify(event: OtpVerifyObserved): void {
    this.metrics.otpVerifications.add(1, {
      [ATTR.registration]: event.registration,
      [ATTR.otpResult]: event.verified ? 'verified' : 'not_verified',
      ...(event.error && { [ATTR.errorType]: boundedName(event.error.errorName) }),
    });
  }

  onDeliveryReport(event: DeliveryReportObserved): void {
    this.metrics.deliveryReports.add(1, { [ATTR.deliveryStatus]: event.report.status });
  }
}
