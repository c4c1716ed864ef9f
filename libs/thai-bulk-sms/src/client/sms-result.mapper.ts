import { VendorSmsResponse } from './vendor-sms-response';
import { CreditType } from '../thai-bulk-sms.options';
import { AcceptedRecipient, RejectedRecipient, SendSmsResult } from '../sms/sms.types';

// The entries were checked against what was sent (readSmsResponse): they are copied, not coerced.
export function acceptedOf(response: VendorSmsResponse): AcceptedRecipient[] {
  return response.phone_number_list.map((item) => ({
    phone: item.number,
    messageId: item.message_id,
    credits: item.used_credit,
  }));
}

export function rejectedOf(response: VendorSmsResponse): RejectedRecipient[] {
  return response.bad_phone_number_list.map((item) => ({
    phone: item.number,
    reason: item.message ?? 'Rejected by ThaiBulkSMS.',
  }));
}

export function creditTypeOf(response: VendorSmsResponse, fallback: CreditType): CreditType {
  return response.credit_type === 'corporate' || response.credit_type === 'standard' ? response.credit_type : fallback;
}

/** The vendor's answer in camelCase, with the numbers we refused locally added to `rejected`. */
export function toSendSmsResult(
  response: VendorSmsResponse,
  localRejects: readonly RejectedRecipient[],
  creditType: CreditType,
): SendSmsResult {
  return {
    accepted: acceptedOf(response),
    rejected: localRejects.length ? [...localRejects, ...rejectedOf(response)] : rejectedOf(response),
    creditType: creditTypeOf(response, creditType),
    creditsUsed: response.total_use_credit,
    creditsRemaining: response.remaining_credit,
  };
}
