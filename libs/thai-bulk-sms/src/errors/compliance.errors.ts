import { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
import { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';

/**
 * Our names for the sending rules the compliance policy enforces (docs/compliance.md). The vendor
 * knows none of them: every one is refused locally, before any request, so `source` is `local`.
 */
export const COMPLIANCE_ERROR_NAMES = {
  recipientOptedOut: 'RECIPIENT_OPTED_OUT',
  optOutTextMissing: 'OPT_OUT_TEXT_MISSING',
  outsideSendingHours: 'OUTSIDE_SENDING_HOURS',
  scheduledOutsideSendingHours: 'SCHEDULED_OUTSIDE_SENDING_HOURS',
  linkNotRegistered: 'LINK_NOT_REGISTERED',
  linkShortenerNotAllowed: 'LINK_SHORTENER_NOT_ALLOWED',
  shortenUrlNotAllowed: 'SHORTEN_URL_NOT_ALLOWED',
  suppressionListUnavailable: 'SUPPRESSION_LIST_UNAVAILABLE',
} as const;

export type ComplianceErrorName = (typeof COMPLIANCE_ERROR_NAMES)[keyof typeof COMPLIANCE_ERROR_NAMES];

/** A send the compliance policy refused (strict mode). Fix the message or the options; nothing was sent. */
export abstract class ThaiBulkSmsComplianceError extends ThaiBulkSmsRequestError {
  protected constructor(errorName: ComplianceErrorName, description: string, message?: string) {
    super({ errorName, description, source: 'local' }, message);
  }
}

/**
 * Every recipient of the send is on the opt-out list for its category, so no request was made.
 * (A send with some recipients left goes out to those; the others come back in `rejected`.)
 */
export class RecipientOptedOutError extends ThaiBulkSmsComplianceError {
  constructor(readonly recipients: number) {
    super(
      COMPLIANCE_ERROR_NAMES.recipientOptedOut,
      'Every recipient opted out of messages of this category.',
      `every recipient (${recipients}) is on the opt-out list for this category; nothing was sent.`,
    );
  }
}

/** A marketing message without the opt-out line, with `appendOptOutText: false` or no `optOutText` set. */
export class OptOutTextMissingError extends ThaiBulkSmsComplianceError {
  constructor(message: string) {
    super(COMPLIANCE_ERROR_NAMES.optOutTextMissing, 'A marketing message must tell how to opt out.', message);
  }
}

/**
 * A marketing send now, outside the marketing hours (Bangkok time). `opensAt` is the next opening;
 * schedule the send (`scheduledAt`) or queue it, and it goes out then.
 */
export class OutsideSendingHoursError extends ThaiBulkSmsComplianceError {
  constructor(
    /** The next instant marketing may be sent. */
    readonly opensAt: Date,
    /** When the send was checked (the registration's clock): `opensAt - checkedAt` is the wait. */
    readonly checkedAt: Date,
    window: string,
  ) {
    super(
      COMPLIANCE_ERROR_NAMES.outsideSendingHours,
      'Marketing messages may only be sent within the marketing hours.',
      `marketing messages may be sent ${window} Bangkok time; the next opening is ${bangkokTime(opensAt)}. Nothing was sent.`,
    );
  }
}

/** A marketing send whose `scheduledAt` falls outside the marketing hours. */
export class ScheduledOutsideSendingHoursError extends ThaiBulkSmsComplianceError {
  constructor(window: string) {
    super(
      COMPLIANCE_ERROR_NAMES.scheduledOutsideSendingHours,
      'A marketing message may not be scheduled outside the marketing hours.',
      `scheduledAt falls outside the marketing hours (${window} Bangkok time).`,
    );
  }
}

/** The message links to a host that is not in `allowedLinkHosts`. */
export class LinkNotRegisteredError extends ThaiBulkSmsComplianceError {
  constructor(
    /** The host as the policy read it (lower case, IDN as punycode), bounded. */
    readonly host: string,
  ) {
    super(
      COMPLIANCE_ERROR_NAMES.linkNotRegistered,
      'The message links to a host that is not registered.',
      `the message links to ${host}, which is not in allowedLinkHosts (register the link with your sender name, then list its host).`,
    );
  }
}

/** The message links to a known URL shortener, which Thai carriers refuse. */
export class LinkShortenerNotAllowedError extends ThaiBulkSmsComplianceError {
  constructor(readonly host: string) {
    super(
      COMPLIANCE_ERROR_NAMES.linkShortenerNotAllowed,
      'The message links to a URL shortener.',
      `the message links to the URL shortener ${host}; carriers refuse shortened links: use the registered full link.`,
    );
  }
}

/** `shortenUrl: true` in strict mode: the vendor would swap registered links for its own short ones. */
export class ShortenUrlNotAllowedError extends ThaiBulkSmsComplianceError {
  constructor() {
    super(
      COMPLIANCE_ERROR_NAMES.shortenUrlNotAllowed,
      'shortenUrl is not allowed in strict compliance mode.',
      'shortenUrl: true replaces your links with the provider’s short links, which are neither your registered links nor accepted by carriers; send the registered full link instead.',
    );
  }
}

/**
 * The opt-out list could not be read, so the send was not made (a marketing message is never sent
 * unchecked). Our infrastructure, not the caller's mistake: an operator has to act.
 */
export class SuppressionListUnavailableError extends ThaiBulkSmsAccountError {
  constructor(cause: unknown) {
    super({
      errorName: COMPLIANCE_ERROR_NAMES.suppressionListUnavailable,
      description: 'The opt-out list could not be read; nothing was sent.',
      source: 'local',
      cause,
    });
  }
}

/** `2030-01-02 09:00` in Bangkok wall time. */
function bangkokTime(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
