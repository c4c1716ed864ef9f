import type { MessageCategory } from '../compliance/message-category';
import type { ThaiBulkSmsError } from '../errors';
import { MessageEncoding } from '../message';
import { CreditType } from '../thai-bulk-sms.options';

export type CallbackMethod = 'GET' | 'POST' | 'PUT';

export interface SendSmsOptions {
  /** One number or up to 500, in any Thai form; duplicates are sent once. */
  readonly to: string | readonly string[];
  readonly message: string;
  /** Approved sender name; the registration's `defaultSender` when omitted. */
  readonly sender?: string;
  /** Send later: a Date or an ISO-8601 string with any offset (sent as `+07:00`). */
  readonly scheduledAt?: Date | string;
  /** Credit pool (the vendor's `force`); the registration's `defaultCreditType` when omitted. */
  readonly creditType?: CreditType;
  readonly shortenUrl?: boolean;
  readonly callbackUrl?: string;
  readonly callbackMethod?: CallbackMethod;
  readonly tags?: readonly string[];
  /**
   * What the message is, for the sending rules (ThaiBulkSmsComplianceModule): `marketing` gets the
   * opt-out line, the marketing hours and the opt-out list; `transactional` only opt-outs of scope
   * `all`; `otp` is never held back. @default 'transactional'
   */
  readonly category?: MessageCategory;
  /**
   * Your own key for this send (an order id, a dedupe key), 1–200 characters: never sent to
   * ThaiBulkSMS, given to observers (the message ledger keeps it with each recipient's row).
   * The queue's worker sets it to the send id when you give none.
   */
  readonly reference?: string;
  /** Abort the call; a send aborted in flight may still have gone out. */
  readonly signal?: AbortSignal;
}

export interface AcceptedRecipient {
  /** `66XXXXXXXXX` */
  readonly phone: string;
  readonly messageId: string;
  readonly credits: number;
}

export interface RejectedRecipient {
  /** The number as given (or as the vendor returned it). */
  readonly phone: string;
  readonly reason: string;
}

export interface SendSmsResult {
  readonly accepted: readonly AcceptedRecipient[];
  readonly rejected: readonly RejectedRecipient[];
  readonly creditType: CreditType;
  readonly creditsUsed: number;
  /** Balance of the pool just charged, as the vendor reported it. */
  readonly creditsRemaining: number;
}

export interface BulkSendOptions extends Omit<SendSmsOptions, 'to'> {
  /**
   * Any number of recipients: an array, an iterable or an async iterable (read lazily, one chunk
   * at a time), or one number as a string (several joined by commas, as in `send`). Anything else
   * is refused with ERROR_MSISDN before anything is sent.
   */
  readonly to: string | Iterable<string> | AsyncIterable<string>;
  /** Called after each chunk settles. */
  readonly onProgress?: (progress: BulkProgress) => void;
  /**
   * Keep only counts and failed chunks, not every accepted number: for very large lists, so the
   * result does not grow with the recipients. Failed chunks still keep their numbers (nothing is
   * lost: you need them to decide what to resend), so a send that fails as a whole holds every
   * number once, in `failedChunks`. @default false
   */
  readonly summaryOnly?: boolean;
  /**
   * `chunk` (default) sends a number once per chunk of 500; `global` once per whole send, at the
   * cost of remembering every number seen (about 80 bytes each).
   */
  readonly dedupe?: 'chunk' | 'global';
}

export interface BulkProgress {
  readonly chunksDone: number;
  readonly chunksFailed: number;
  readonly recipientsDone: number;
}

export interface FailedChunk {
  readonly index: number;
  readonly recipients: readonly string[];
  /** The error's vendor name (`ERROR_SYSTEM_FAILURE`, `ERROR_UPSTREAM_TIMEOUT`…). */
  readonly errorName: string;
  readonly message: string;
  /** The typed error itself. */
  readonly error: Error;
  /**
   * `false` when the chunk was never sent because the send stopped early (`stoppedBy`: an account
   * error, or ThaiBulkSmsAbortedError when your signal fired): safe to resend. Absent for chunks
   * that were handed to the API and failed (they may have gone out — also a chunk whose request
   * your signal aborted in flight).
   */
  readonly sent?: false;
}

export interface BulkSendResult {
  readonly accepted: readonly AcceptedRecipient[];
  readonly rejected: readonly RejectedRecipient[];
  readonly acceptedCount: number;
  readonly rejectedCount: number;
  readonly failedChunks: readonly FailedChunk[];
  readonly chunks: number;
  readonly creditsUsed: number;
  /** The lowest balance any chunk reported, per pool charged. */
  readonly creditsRemaining?: number;
  /**
   * True when the caller's signal fired during the send. Reading the source stopped there: every
   * number that was read and not sent is in a failed chunk with `sent: false`, but the rest of the
   * source (past `entriesRead` entries) was never read, so it cannot be listed — resend it from
   * there (`to.slice(entriesRead)` for an array).
   */
  readonly aborted?: boolean;
  /** With `aborted`: how many entries were taken from the source (invalid and duplicates included). */
  readonly entriesRead?: number;
  /**
   * What stopped the send early: an account error (authentication failed, key suspended, credit
   * exhausted…), after which no request was made and the rest of the input was still read; or
   * the ThaiBulkSmsAbortedError of your signal. Every recipient read but not sent is in a failed
   * chunk with `sent: false`.
   */
  readonly stoppedBy?: ThaiBulkSmsError;
  /** Recipients never sent because of `stoppedBy` (the sum over the `sent: false` chunks). */
  readonly notSentCount?: number;
}

export interface SmsEstimate {
  readonly encoding: MessageEncoding;
  readonly length: number;
  readonly parts: number;
  readonly creditsPerRecipient: number;
  /** Numbers charged: for a list, its distinct valid numbers (what `send` would send). */
  readonly recipients: number;
  readonly totalCredits: number;
}

export interface CreditBalance {
  readonly standard: number;
  readonly corporate: number;
}

export interface ValidateOptions {
  /** The send goes out this many ms from now (a delayed job): the marketing hours are checked for then. @default 0 */
  readonly inMs?: number;
  /**
   * A marketing send outside the marketing hours (strict mode) is not refused but answered with
   * `waitMs`, the wait until the next opening (the queue delays the job by it). @default false
   */
  readonly deferOutsideHours?: boolean;
}

export interface SendValidation {
  /** With `deferOutsideHours`: how long from now the send must wait for the marketing hours. */
  readonly waitMs?: number;
}
