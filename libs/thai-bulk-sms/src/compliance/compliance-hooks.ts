import { OutsideSendingHoursError, RecipientOptedOutError } from '../errors';
import { Msisdn } from '../phone';
import { RejectedRecipient } from '../sms/sms.types';
import { MessageCategory } from './message-category';
import {
  ComplianceCheckContext,
  ComplianceCheckedFields,
  RecipientScreen,
  ThaiBulkSmsCompliancePolicy,
} from './thai-bulk-sms-compliance.policy';

/**
 * `checkSend` for a send that can wait (a queued one): with `defer`, a marketing send outside the
 * marketing hours is checked as of the next opening and answered with it (`opensAt`), not refused.
 */
export function checkForLater<T extends ComplianceCheckedFields>(
  policy: ThaiBulkSmsCompliancePolicy,
  send: T,
  category: MessageCategory,
  context: ComplianceCheckContext,
  defer: boolean,
): { readonly checked: T; readonly opensAt?: number } {
  try {
    return { checked: policy.checkSend(send, category, context) };
  } catch (error) {
    if (!defer || !(error instanceof OutsideSendingHoursError)) throw error;
    const opensAt = error.opensAt.getTime();
    return { checked: policy.checkSend(send, category, { ...context, nowMs: opensAt }), opensAt };
  }
}

/**
 * One send's numbers after the opt-out list: the opted-out ones join the rejected ones; with
 * nobody left the send is RecipientOptedOutError (no request is made).
 */
export async function screenRecipients(
  screen: RecipientScreen,
  msisdns: readonly Msisdn[],
  rejected: readonly RejectedRecipient[],
): Promise<{ readonly msisdns: readonly Msisdn[]; readonly rejected: readonly RejectedRecipient[] }> {
  const { kept, optedOut } = await screen(msisdns);
  if (kept.length === 0) throw new RecipientOptedOutError(msisdns.length);
  return { msisdns: kept, rejected: optedOut.length ? [...rejected, ...optedOut] : rejected };
}
