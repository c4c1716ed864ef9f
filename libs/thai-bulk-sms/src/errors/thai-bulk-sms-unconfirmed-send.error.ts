import type { AcceptedRecipient, RejectedRecipient } from '../sms/sms.types';
import { BAD_RESPONSE_ERROR_NAME, ThaiBulkSmsUpstreamError } from './thai-bulk-sms-upstream.error';

/**
 * ThaiBulkSMS answered a send with a 2xx (it handled the request) but the answer does not account
 * for every number sent: a number is in neither list, or the answer cannot be trusted at all (not
 * JSON, wrong types, a number that was never sent). The numbers in `unconfirmed` may have been
 * sent; resending them blindly is how a customer gets the same SMS twice. `accepted` and
 * `rejected` hold what the answer did confirm (empty when none of it can be trusted).
 */
export class ThaiBulkSmsUnconfirmedSendError extends ThaiBulkSmsUpstreamError {
  /** Always true: the API answered, so the request arrived. */
  readonly requestMayHaveArrived = true as const;
  /** The numbers sent (as sent) that the answer does not account for; never empty. */
  readonly unconfirmed: readonly string[];
  readonly accepted: readonly AcceptedRecipient[];
  readonly rejected: readonly RejectedRecipient[];
  /** Credits of the accepted numbers, as the answer gave them. */
  readonly creditsUsed: number;

  constructor(options: {
    readonly upstreamStatus: number;
    /** What is wrong with the answer, e.g. `without 1 of 2 numbers`. */
    readonly problem: string;
    readonly unconfirmed: readonly string[];
    readonly accepted?: readonly AcceptedRecipient[];
    readonly rejected?: readonly RejectedRecipient[];
  }) {
    const { unconfirmed, upstreamStatus } = options;
    super({
      errorName: BAD_RESPONSE_ERROR_NAME,
      description:
        `ThaiBulkSMS answered a send with HTTP ${upstreamStatus} ${options.problem}; ` +
        `${unconfirmed.length === 1 ? 'one number' : `${unconfirmed.length} numbers`} may have been sent.`,
      upstreamStatus,
    });
    this.unconfirmed = unconfirmed;
    this.accepted = options.accepted ?? [];
    this.rejected = options.rejected ?? [];
    this.creditsUsed = this.accepted.reduce((sum, item) => sum + item.credits, 0);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), unconfirmedCount: this.unconfirmed.length };
  }
}
