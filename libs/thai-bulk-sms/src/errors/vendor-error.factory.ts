import { describeError, ErrorCategory } from './error-catalogue';
import { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
import { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';
import { ThaiBulkSmsUpstreamError } from './thai-bulk-sms-upstream.error';
import { ThaiBulkSmsError, ThaiBulkSmsErrorDetails } from './thai-bulk-sms.error';

export interface VendorErrorInput {
  /** The vendor's name; unknown names are kept and classified by HTTP status. */
  readonly name: string;
  readonly upstreamStatus?: number;
  /** The numeric code of the vendor's answer; left out when the answer had none or there was no answer. */
  readonly vendorCode?: number;
  /** The vendor's own description when it sent one; the catalogue's otherwise. */
  readonly description?: string;
  readonly source?: 'local' | 'upstream';
  readonly cause?: unknown;
  /** Overrides the message (the description stays the vendor's). */
  readonly message?: string;
}

/** Turns a vendor error name (known or not) into the typed exception of its category. */
export function vendorError(input: VendorErrorInput): ThaiBulkSmsError {
  const known = describeError(input.name, input.upstreamStatus);
  const details: Omit<ThaiBulkSmsErrorDetails, 'category'> = {
    errorName: input.name,
    description: input.description || known.description,
    // Only the vendor's own answer: the catalogue's codes are partly inferred (ERROR_CATALOGUE[name].code).
    vendorCode: input.vendorCode,
    upstreamStatus: input.upstreamStatus,
    source: input.source ?? 'upstream',
    cause: input.cause,
  };
  return errorOfCategory(known.category, details, input.message);
}

/** The same mistake the vendor would reject, caught before anything is sent. */
export function localVendorError(name: string, message?: string): ThaiBulkSmsError {
  return vendorError({ name, source: 'local', message });
}

export function errorOfCategory(
  category: ErrorCategory,
  details: Omit<ThaiBulkSmsErrorDetails, 'category'>,
  message?: string,
): ThaiBulkSmsError {
  switch (category) {
    case 'caller':
      return new ThaiBulkSmsRequestError(details, message);
    case 'account':
      return new ThaiBulkSmsAccountError(details, message);
    case 'upstream':
      return new ThaiBulkSmsUpstreamError(details, message);
  }
}
