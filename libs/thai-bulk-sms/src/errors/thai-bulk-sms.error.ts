import { ErrorCategory } from './error-catalogue';

export interface ThaiBulkSmsErrorDetails {
  /** The vendor's error name (`ERROR_MSISDN`), or one of ours for failures the vendor never names. */
  readonly errorName: string;
  readonly description: string;
  readonly category: ErrorCategory;
  /** The vendor's numeric code, when it sent one. */
  readonly vendorCode?: number;
  /** The HTTP status the vendor answered; undefined when no answer came or we caught it first. */
  readonly upstreamStatus?: number;
  /** `local` when the library refused the call before anything was sent. */
  readonly source?: 'local' | 'upstream';
  readonly cause?: unknown;
}

/**
 * Root of every error the library throws. It carries the vendor's words and our category,
 * never the request that caused it, so nothing secret can ride along into a log.
 */
export abstract class ThaiBulkSmsError extends Error {
  readonly errorName: string;
  readonly description: string;
  readonly category: ErrorCategory;
  readonly vendorCode?: number;
  readonly upstreamStatus?: number;
  readonly source: 'local' | 'upstream';

  protected constructor(details: ThaiBulkSmsErrorDetails, message?: string) {
    super(message ?? details.description, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.errorName = details.errorName;
    this.description = details.description;
    this.category = details.category;
    this.vendorCode = details.vendorCode;
    this.upstreamStatus = details.upstreamStatus;
    this.source = details.source ?? 'upstream';
  }

  /** A plain, log-safe view (no cause, no stack). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      errorName: this.errorName,
      message: this.message,
      category: this.category,
      vendorCode: this.vendorCode,
      upstreamStatus: this.upstreamStatus,
      source: this.source,
    };
  }
}
