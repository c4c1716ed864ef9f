import type { Msisdn } from '../phone';
import type { RejectedRecipient } from '../sms/sms.types';
import type { MessageCategory } from './message-category';

/** The fields of a send the policy reads. */
export interface ComplianceCheckedFields {
  readonly message: string;
  readonly scheduledAt?: Date | string;
  readonly shortenUrl?: boolean;
}

export interface ComplianceCheckContext {
  /** The instant the send is for (epoch ms, the registration's clock): now, or when a queued send will go. */
  readonly nowMs: number;
  /** The ThaiBulkSmsModule registration sending it. */
  readonly registration: string;
  /** The send's numbers (`66XXXXXXXXX`) when known before the request; a warn-mode log names one, masked. */
  readonly recipients?: readonly Msisdn[];
  /** Only check: log and count nothing (SmsService.validate, ahead of a send made later). */
  readonly dryRun?: boolean;
}

export interface ScreenedRecipients {
  /** The numbers that may be sent to, in their order. */
  readonly kept: readonly Msisdn[];
  /** The others, with the reason `RECIPIENT_OPTED_OUT`. */
  readonly optedOut: readonly RejectedRecipient[];
}

/** Decides, in one batched lookup, which numbers of a chunk may receive the send. */
export type RecipientScreen = (msisdns: readonly Msisdn[]) => Promise<ScreenedRecipients>;

/**
 * The sending rules, asked by SmsService before every request (and by the queue before it
 * queues). Injected by this class: ThaiBulkSmsComplianceModule provides the default one
 * (DefaultThaiBulkSmsCompliancePolicy) or yours (its `policy` extra); without that module each
 * registration uses the default one in `warn` mode with no opt-out list.
 */
export abstract class ThaiBulkSmsCompliancePolicy {
  /**
   * Checks one send before anything else (once per `send`, once per `sendBulk`). Throws a
   * ThaiBulkSmsComplianceError to refuse it, or answers the send as it must go out — the same
   * object when nothing changes, a copy with another `message` (the opt-out line appended).
   */
  abstract checkSend<T extends ComplianceCheckedFields>(
    send: T,
    category: MessageCategory,
    context: ComplianceCheckContext,
  ): T;

  /** Drops numbers the send may not go to; undefined when it drops none (no lookups at all). */
  abstract recipientScreen(category: MessageCategory): RecipientScreen | undefined;

  /** The text a message of `category` goes out with (for estimates): the opt-out line appended. */
  abstract messageFor(message: string, category: MessageCategory): string;
}
