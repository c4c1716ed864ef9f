import { localVendorError } from '../errors';
import { entryText, Msisdn, parseThaiMobile, toMsisdn } from '../phone';
import { quickMsisdn } from '../phone/common-mobile';
import { MAX_RECIPIENTS_PER_REQUEST } from '../thai-bulk-sms.constants';
import { RejectedRecipient } from './sms.types';

// The caller's field may be `to`, `phone`, `mobile`…: messages speak of the recipients, never of `to`.
export const NO_RECIPIENT_MESSAGE = 'No recipient given.';
export const NO_VALID_NUMBER_MESSAGE =
  'No valid Thai mobile number (0812345678, 66812345678 or +66812345678) among the recipients.';

export interface RecipientPartition {
  /** Unique, in the vendor's form, in first-seen order. */
  readonly msisdns: Msisdn[];
  readonly rejected: RejectedRecipient[];
}

/**
 * The recipients of one send, validated, normalised and deduplicated: split (a string may hold
 * several numbers joined by commas, as the vendor accepts), each read as a Thai mobile number.
 * The vendor's limit is on the numbers of one request, so it is counted on what would be sent:
 * more than 500 distinct valid numbers is refused
 * (ERROR_MSISDN_EXCEEDED_LIMIT), however many duplicates or invalid entries come with them; no
 * valid number is ERROR_MSISDN. Either way nothing is sent.
 */
export function validateRecipients(to: unknown): RecipientPartition {
  // The common case, one valid number as a string, needs no list of entries and no set.
  if (typeof to === 'string' && !to.includes(',')) {
    const msisdn = toMsisdn(to);
    if (msisdn !== undefined) return { msisdns: [msisdn], rejected: [] };
  }
  const entries = recipientEntries(to);
  const recipients = partitionRecipients(entries, MAX_RECIPIENTS_PER_REQUEST);
  if (recipients.msisdns.length > MAX_RECIPIENTS_PER_REQUEST) {
    throw localVendorError(
      'ERROR_MSISDN_EXCEEDED_LIMIT',
      `more than ${MAX_RECIPIENTS_PER_REQUEST} distinct valid numbers given; at most ${MAX_RECIPIENTS_PER_REQUEST} per send (use sendBulk for more).`,
    );
  }
  if (recipients.msisdns.length === 0) {
    throw localVendorError('ERROR_MSISDN', entries.length === 0 ? NO_RECIPIENT_MESSAGE : NO_VALID_NUMBER_MESSAGE);
  }
  return recipients;
}

/**
 * Valid numbers (normalised, unique, first-seen order) apart from the rejected ones, with why.
 * With `limit`, stops reading as soon as a number past the limit is found (then `msisdns` holds
 * `limit + 1`), so an oversized list costs no more than the part that proves it too big. Each
 * entry is parsed once at most: a common form needs no parse, any other one parse, which also
 * says why it is refused.
 */
export function partitionRecipients(entries: Iterable<unknown>, limit = Number.POSITIVE_INFINITY): RecipientPartition {
  const seen = new Set<Msisdn>();
  const msisdns: Msisdn[] = [];
  const rejected: RejectedRecipient[] = [];
  for (const entry of entries) {
    let msisdn = quickMsisdn(entry);
    if (msisdn === undefined) {
      const parsed = parseThaiMobile(entry);
      if (parsed.valid) msisdn = parsed.msisdn;
      else rejected.push({ phone: entryText(entry), reason: parsed.reason });
    }
    if (msisdn !== undefined && !seen.has(msisdn)) {
      seen.add(msisdn);
      msisdns.push(msisdn);
      if (msisdns.length > limit) break;
    }
  }
  return { msisdns, rejected };
}

/**
 * Whether `entries` hold more than `limit` distinct numbers in a common form (quickMsisdn): a
 * lower bound of the distinct valid numbers, found without a single libphonenumber parse, that
 * stops reading at `limit + 1`. False says nothing (the exact count is partitionRecipients').
 */
export function provablyOverLimit(entries: Iterable<unknown>, limit: number): boolean {
  const seen = new Set<Msisdn>();
  for (const entry of entries) {
    const msisdn = quickMsisdn(entry);
    if (msisdn !== undefined) seen.add(msisdn);
    if (seen.size > limit) return true;
  }
  return false;
}

/** Distinct valid numbers among `entries`, the count a send is charged for. */
export function countDistinctValid(entries: Iterable<unknown>, limit?: number): number {
  const seen = new Set<Msisdn>();
  for (const entry of entries) {
    const msisdn = toMsisdn(entry);
    if (msisdn !== undefined) seen.add(msisdn);
    if (limit !== undefined && seen.size > limit) break;
  }
  return seen.size;
}

/** The entries of `to`: a string may hold several numbers joined by commas. */
export function recipientEntries(to: unknown): unknown[] {
  if (typeof to === 'string') return splitNumbers(to);
  if (Array.isArray(to)) return to;
  if (typeof to === 'number') return [String(to)];
  throw localVendorError('ERROR_MSISDN', 'The recipients must be a phone number or an array of them.');
}

/**
 * The recipients of a bulk send as a source to read lazily. A string is one number (or several
 * joined by commas), as in `send`: iterating it would yield its characters, each a rejected
 * "number". Anything neither a string, an iterable nor an async iterable is refused.
 */
export function bulkRecipientSource(to: unknown): Iterable<unknown> | AsyncIterable<unknown> {
  if (typeof to === 'string') return splitNumbers(to);
  if (isIterable(to) || isAsyncIterable(to)) return to;
  throw localVendorError(
    'ERROR_MSISDN',
    'The recipients must be a phone number, an array or iterable of them, or an async iterable of them.',
  );
}

function splitNumbers(to: string): string[] {
  return to.includes(',') ? to.split(',').filter((part) => part.trim() !== '') : [to];
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}
