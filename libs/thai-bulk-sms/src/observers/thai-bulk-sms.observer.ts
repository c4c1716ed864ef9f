import { SetMetadata } from '@nestjs/common';
import type { MessageCategory } from '../compliance/message-category';
import type { ThaiBulkSmsError } from '../errors';
import type { MessageEstimate } from '../message/message-encoding';
import type { OtpRequestResult } from '../otp/otp.types';
import type { CreditType } from '../message/vendor-limits';
import type { AcceptedRecipient, RejectedRecipient } from '../sms/sms.types';
import type { DeliveryReport } from '../delivery/delivery-report.types';

/** What one send asked for, shared by every request (chunk) of a bulk send. */
export interface ObservedSend {
  /** The send's category (`transactional` when it named none). */
  readonly category: MessageCategory;
  readonly sender: string;
  /** The message text. Observers that keep it decide how (the ledger hashes it by default). */
  readonly message: string;
  readonly estimate: MessageEstimate;
  readonly creditType: CreditType;
  /** As sent to ThaiBulkSMS: Bangkok wall time `YYYY-MM-DD HH:mm`. */
  readonly scheduledAt?: string;
  readonly tags: readonly string[];
  readonly shortenUrl?: boolean;
  readonly callbackUrl?: string;
  /** The caller's `reference` (the queue's send id for a queued send); never sent to ThaiBulkSMS. */
  readonly reference?: string;
}

/**
 * One POST /sms and its outcome: `result` when ThaiBulkSMS answered, `error` when it did not or
 * refused the request. `mayHaveTakenEffect` tells a failure that may still have sent the SMS
 * (timeout, cut connection, unreadable 2xx) from one that provably sent nothing.
 */
export interface SmsRequestObserved {
  readonly registration: string;
  /** When the request was made (the registration's clock). */
  readonly at: Date;
  readonly send: ObservedSend;
  /** The numbers of this request (66XXXXXXXXX), as sent. */
  readonly msisdns: readonly string[];
  /**
   * Numbers of this send (of this chunk, in a bulk send) refused before any request, with why:
   * invalid, or opted out (reason `RECIPIENT_OPTED_OUT`).
   */
  readonly localRejects: readonly RejectedRecipient[];
  readonly result?: {
    readonly accepted: readonly AcceptedRecipient[];
    readonly rejected: readonly RejectedRecipient[];
    readonly creditType: CreditType;
    readonly creditsUsed: number;
    readonly creditsRemaining: number;
  };
  readonly error?: ThaiBulkSmsError;
  readonly mayHaveTakenEffect?: boolean;
  /**
   * With a ThaiBulkSmsUnconfirmedSendError (a 2xx answer that accounts for only some numbers):
   * what it did confirm, and the numbers it left unexplained (they may have been sent).
   */
  readonly partial?: {
    readonly accepted: readonly AcceptedRecipient[];
    readonly rejected: readonly RejectedRecipient[];
    readonly creditsUsed: number;
    readonly unconfirmed: readonly string[];
  };
}

export interface OtpRequestObserved {
  readonly registration: string;
  /** An OTP request is always of the `otp` category. */
  readonly category: 'otp';
  readonly at: Date;
  /** 66XXXXXXXXX. */
  readonly msisdn: string;
  /** Never log it: it verifies the PIN. */
  readonly result?: OtpRequestResult;
  readonly error?: ThaiBulkSmsError;
  readonly mayHaveTakenEffect?: boolean;
}

export interface OtpVerifyObserved {
  readonly registration: string;
  readonly at: Date;
  /** Never log it. */
  readonly token: string;
  readonly verified: boolean;
  /** Why it was not verified (wrong code, expired token, unknown outcome…). */
  readonly error?: ThaiBulkSmsError;
}

export interface DeliveryReportObserved {
  readonly at: Date;
  readonly report: DeliveryReport;
}

/**
 * Told about every vendor exchange of the services, after it ends. Implement any subset and mark
 * the provider with `@ThaiBulkSmsObserver()`; every registration calls it (tell them apart by
 * `registration`). A returned promise is awaited before the send resolves, so what an observer
 * writes can be read as soon as the caller has its answer; in a `sendBulk` a chunk's observers
 * run while the next chunks are sent (at most `maxConcurrency` chunks' calls at once) and
 * `sendBulk` resolves after all of them. A failure or a hang of an observer is logged and
 * counted and never fails or holds up a send for longer than the observer timeout.
 * (The decorator of the same name marks the provider.)
 */
export interface ThaiBulkSmsObserver {
  /**
   * How long a send waits for this observer, for an observer that bounds its own work (the ledger
   * waits for its database up to its `writeTimeoutMs`, then buffers). @default 5000
   */
  readonly observerTimeoutMs?: number;
  onSmsRequest?(event: SmsRequestObserved): void | Promise<void>;
  onOtpRequest?(event: OtpRequestObserved): void | Promise<void>;
  onOtpVerify?(event: OtpVerifyObserved): void | Promise<void>;
  onDeliveryReport?(event: DeliveryReportObserved): void | Promise<void>;
}

/** A string key, so two copies of the package (CommonJS and ESM) still find each other's observers. */
export const THAI_BULK_SMS_OBSERVER_METADATA = 'thaibulksms:observer';

/**
 * Marks a provider as a ThaiBulkSmsObserver: every registration of ThaiBulkSmsModule in the app
 * tells it about its vendor exchanges. The provider may live in any module.
 */
export const ThaiBulkSmsObserver = (): ClassDecorator => SetMetadata(THAI_BULK_SMS_OBSERVER_METADATA, true);
