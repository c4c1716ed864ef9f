import { createHmac } from 'node:crypto';
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
  /** The person asked to stay opted out even after their data is erased (see eraseSubject). */
  readonly keepAfterErasure?: true;
  /** Erased: only the number's keyed hash is stored (no reason); found by the number it was given. */
  readonly erased?: true;
}

/** What eraseSubject did: nothing to do, the entry dropped, or the entry kept as a keyed hash only. */
export type SuppressionErasureOutcome = 'not-listed' | 'removed' | 'kept-as-hash';

export interface SuppressionListOptions {
  /**
   * The secret of the keyed hash (HMAC-SHA256) an entry marked `keepAfterErasure` is kept under
   * once its number is erased; at least 32 characters, the same for every instance, kept apart
   * from the store (with it, the hashes of the 10⁹ Thai mobile numbers could be computed). Without
   * it no entry can be kept after erasure.
   */
  readonly erasureKey?: string;
}

export interface AddSuppressionOptions {
  /** @default 'marketing' */
  readonly scope?: SuppressionScope;
  readonly reason?: string;
  /** @default now */
  readonly at?: Date;
  /** Keep refusing marketing after the number's data is erased (needs the store's erasureKey). @default false */
  readonly keepAfterErasure?: boolean;
}

export const MAX_SUPPRESSION_REASON_LENGTH = 200;
const MIN_ERASURE_KEY_LENGTH = 32;

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
  private readonly erasureKey?: string;

  protected constructor(options: SuppressionListOptions = {}) {
    const { erasureKey } = options;
    if (erasureKey !== undefined && (typeof erasureKey !== 'string' || erasureKey.length < MIN_ERASURE_KEY_LENGTH))
      throw new TypeError(
        `SuppressionList: erasureKey must be a string of at least ${MIN_ERASURE_KEY_LENGTH} characters`,
      );
    this.erasureKey = erasureKey;
  }

  /** Whether entries can be kept as a keyed hash after erasure (an erasureKey was given). */
  get keepsHashes(): boolean {
    return this.erasureKey !== undefined;
  }

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
    const keep = options.keepAfterErasure;
    if (keep !== undefined && typeof keep !== 'boolean')
      return Promise.reject(localVendorError('ERROR_FORM', 'keepAfterErasure must be a boolean.'));
    if (keep && !this.keepsHashes) return Promise.reject(noErasureKey());
    return this.write({
      phone: msisdn,
      scope,
      ...(reason ? { reason } : {}),
      at,
      ...(keep ? { keepAfterErasure: true } : {}),
    });
  }

  /**
   * The PDPA erasure of `phone` (any Thai form): its entry is dropped, unless it was added with
   * `keepAfterErasure` (the person asked to stay opted out); then only the keyed hash of the
   * number is kept, with its scope and time, so marketing to it is still refused while the number
   * is no longer stored. A number not on the list (or no valid number) is 'not-listed'.
   */
  async eraseSubject(phone: string): Promise<SuppressionErasureOutcome> {
    const msisdn = toMsisdn(phone);
    if (msisdn === undefined) return 'not-listed';
    return this.erase(msisdn, this.hashOf(msisdn));
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
  /** Drops the number's entry and its keyed hash (hash: undefined without an erasureKey). */
  protected abstract delete(msisdn: Msisdn): Promise<boolean>;

  /**
   * Erases the number's entry, atomically: kept as `hash` when marked keepAfterErasure. This
   * default (for stores written before erasure existed) only drops unmarked entries.
   */
  protected async erase(msisdn: Msisdn, hash: string | undefined): Promise<SuppressionErasureOutcome> {
    const entry = await this.read(msisdn);
    if (entry === undefined) return 'not-listed';
    if (entry.keepAfterErasure || entry.erased)
      throw new Error(
        'SuppressionList: this store cannot keep an entry as a keyed hash' + (hash ? '' : ' (no erasureKey)'),
      );
    await this.delete(msisdn);
    return 'removed';
  }

  /** The keyed hash a number is kept under after erasure (`#` and base64url HMAC-SHA256); undefined without a key. */
  protected hashOf(msisdn: Msisdn): string | undefined {
    if (this.erasureKey === undefined) return undefined;
    return `#${createHmac('sha256', this.erasureKey).update(msisdn).digest('base64url')}`;
  }

  /** The keyed hashes of numbers, for a store's batch lookup. */
  protected hashesOf(msisdns: readonly Msisdn[]): string[] {
    return msisdns.map((msisdn) => this.hashOf(msisdn)!);
  }
}

function noErasureKey(): Error {
  return new Error('SuppressionList: keepAfterErasure needs the store to be built with an erasureKey');
}

/** The entry an erasure keeps: scope and time, no number, no reason. */
export function erasedEntry(phone: Msisdn, scope: SuppressionScope, at: Date): SuppressionEntry {
  return { phone, scope, at, keepAfterErasure: true, erased: true };
}
