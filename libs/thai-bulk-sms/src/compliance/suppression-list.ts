import { localVendorError } from '../errors';
import { Msisdn, toMsisdn } from '../phone';
import { MessageCategory } from './message-category';

/** `marketing`: no more marketing. `all`: no marketing and no transactional messages (OTP still goes). */
export type SuppressionScope = 'marketing' | 'all';

export interface SuppressionEntry {
  /** `66XXXXXXXXX`, whatever form it was added in. */
  readonly phone: Msisdn;
  readonly scope: SuppressionScope;
  /** Why, in the words of whoever added it (at most 200 characters). */
  readonly reason?: string;
  /** When the opt-out was (last) recorded. */
  readonly at: Date;
}

export interface AddSuppressionOptions {
  /** @default 'marketing' */
  readonly scope?: SuppressionScope;
  readonly reason?: string;
  /** @default now */
  readonly at?: Date;
}

export const MAX_SUPPRESSION_REASON_LENGTH = 200;

/** Whether an opt-out of `scope` holds back a message of `category`. OTP is never held back. */
export function suppresses(scope: SuppressionScope | undefined, category: MessageCategory): boolean {
  if (scope === undefined || category === 'otp') return false;
  return category === 'marketing' || scope === 'all';
}

/** The wider of two scopes: an opt-out of everything is not narrowed by a later marketing one. */
export function widerScope(a: SuppressionScope | undefined, b: SuppressionScope): SuppressionScope {
  return a === 'all' || b === 'all' ? 'all' : 'marketing';
}

/**
 * The opt-out list, keyed by the vendor's form of a number (`0812345678`, `+66 81 234 5678` and
 * `66812345678` are one entry). Injectable by this class (the ThaiBulkSmsComplianceModule's
 * `suppressionList` option chooses the store). A store implements the four protected/abstract
 * methods on normalised numbers; the public methods normalise and check the input first.
 *
 * Adding a number already on the list keeps the wider scope (an opt-out of everything is never
 * narrowed by a later marketing one: remove it first) and records the new reason and time.
 */
export abstract class SuppressionList {
  /** The entry of `phone` (any Thai form), or undefined when it is not on the list (or no valid number). */
  get(phone: string): Promise<SuppressionEntry | undefined> {
    const msisdn = toMsisdn(phone);
    return msisdn === undefined ? Promise.resolve(undefined) : this.read(msisdn);
  }

  /** Puts `phone` on the list; answers the entry as stored. ERROR_MSISDN for no valid Thai mobile number. */
  add(phone: string, options: AddSuppressionOptions = {}): Promise<SuppressionEntry> {
    const msisdn = toMsisdn(phone);
    if (msisdn === undefined)
      return Promise.reject(localVendorError('ERROR_MSISDN', 'phone must be a Thai mobile number.'));
    const scope = options.scope ?? 'marketing';
    if (scope !== 'marketing' && scope !== 'all')
      return Promise.reject(localVendorError('ERROR_FORM', "scope must be 'marketing' or 'all'."));
    const { reason } = options;
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_SUPPRESSION_REASON_LENGTH)) {
      return Promise.reject(
        localVendorError(
          'ERROR_FORM',
          `reason must be a string of at most ${MAX_SUPPRESSION_REASON_LENGTH} characters.`,
        ),
      );
    }
    const at = options.at ?? new Date();
    if (!(at instanceof Date) || Number.isNaN(at.getTime()))
      return Promise.reject(localVendorError('ERROR_FORM', 'at must be a valid Date.'));
    return this.write({ phone: msisdn, scope, ...(reason ? { reason } : {}), at });
  }

  /** Takes `phone` off the list; true when it was on it. */
  remove(phone: string): Promise<boolean> {
    const msisdn = toMsisdn(phone);
    return msisdn === undefined ? Promise.resolve(false) : this.delete(msisdn);
  }

  /**
   * The scope of each number (same order; undefined where it is not on the list), for the send
   * path: numbers already in the vendor's form (`66XXXXXXXXX`), looked up in as few round trips as
   * the store allows (one per chunk of 500 for the Redis store).
   */
  abstract scopesOf(msisdns: readonly Msisdn[]): Promise<readonly (SuppressionScope | undefined)[]>;

  protected abstract read(msisdn: Msisdn): Promise<SuppressionEntry | undefined>;
  /** Stores the entry, keeping the wider of its scope and the one stored (see widerScope); answers what is stored. */
  protected abstract write(entry: SuppressionEntry): Promise<SuppressionEntry>;
  protected abstract delete(msisdn: Msisdn): Promise<boolean>;
}
