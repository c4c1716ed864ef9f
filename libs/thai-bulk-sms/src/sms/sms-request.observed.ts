import { VendorSmsResponse } from '../client/vendor-sms-response';
import { mayHaveTakenEffect, ThaiBulkSmsError, ThaiBulkSmsUnconfirmedSendError } from '../errors';
import type { ObservedSend, SmsRequestObserved } from '../observers/thai-bulk-sms.observer';
import { CreditType } from '../thai-bulk-sms.options';
import { PreparedSend } from './send-fields.validator';
import { toSendSmsResult } from '../client/sms-result.mapper';
import { RejectedRecipient } from './sms.types';

/** The send as observers see it, read back from the vendor form that was sent. */
export function observedSend({ form, estimate, category, reference }: PreparedSend): ObservedSend {
  return {
    category,
    sender: form.sender,
    message: form.message,
    estimate,
    creditType: form.force as CreditType,
    scheduledAt: form.scheduled_delivery,
    tags: form.tag ? form.tag.split(',') : [],
    shortenUrl: form.shorten_url === undefined ? undefined : form.shorten_url === 'true',
    callbackUrl: form.callback_url,
    reference,
  };
}

export function smsRequestObserved(request: {
  readonly registration: string;
  readonly at: Date;
  readonly send: ObservedSend;
  readonly msisdns: readonly string[];
  readonly localRejects: readonly RejectedRecipient[];
  readonly response?: VendorSmsResponse;
  readonly error?: ThaiBulkSmsError;
}): SmsRequestObserved {
  const { response, error, ...common } = request;
  if (response) {
    const { accepted, rejected, creditType, creditsUsed, creditsRemaining } = toSendSmsResult(
      response,
      [],
      common.send.creditType,
    );
    return { ...common, result: { accepted, rejected, creditType, creditsUsed, creditsRemaining } };
  }
  const partial =
    error instanceof ThaiBulkSmsUnconfirmedSendError
      ? {
          accepted: error.accepted,
          rejected: error.rejected,
          creditsUsed: error.creditsUsed,
          unconfirmed: error.unconfirmed,
        }
      : undefined;
  return { ...common, error, mayHaveTakenEffect: error ? mayHaveTakenEffect(error) : undefined, partial };
}
