import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { commonMsisdn, compactNumber } from './common-mobile';

/** A Thai mobile number in the vendor's form: `66` + 9 digits, e.g. `66812345678`. */
export type Msisdn = string;

export type PhoneParseResult =
  | { readonly valid: true; readonly msisdn: Msisdn }
  | { readonly valid: false; readonly input: string; readonly reason: string };

export const INVALID_PHONE_REASON = 'Phone number is invalid.';
export const NOT_MOBILE_REASON = 'Phone number is not a Thai mobile number.';

const PHONE_CHARACTERS = /^\+?\d+$/;

/** Parses any Thai form of a number and answers the vendor's `66XXXXXXXXX`, or why not. */
export function parseThaiMobile(input: unknown): PhoneParseResult {
  if (typeof input !== 'string' && typeof input !== 'number') {
    return { valid: false, input: String(input), reason: INVALID_PHONE_REASON };
  }
  const raw = String(input).trim();
  const compact = compactNumber(raw);
  const fast = commonMsisdn(compact);
  if (fast !== undefined) return { valid: true, msisdn: fast };
  // libphonenumber-js reads numbers out of free text ("0812345678x" passes); a recipient is a number.
  if (compact.length === 0 || compact.length > 20 || !PHONE_CHARACTERS.test(compact)) {
    return { valid: false, input: raw, reason: INVALID_PHONE_REASON };
  }

  const parsed = parsePhoneNumberFromString(raw, 'TH');
  if (!parsed || !parsed.isValid()) return { valid: false, input: raw, reason: INVALID_PHONE_REASON };
  if (parsed.country !== 'TH' || parsed.getType() !== 'MOBILE') {
    return { valid: false, input: raw, reason: NOT_MOBILE_REASON };
  }
  return { valid: true, msisdn: parsed.number.slice(1) };
}

/**
 * The vendor's form of a number, or `undefined` when it is not a Thai mobile number. Same answer
 * as `parseThaiMobile`, without allocating a result object: the bulk path calls it per recipient.
 */
export function toMsisdn(input: unknown): Msisdn | undefined {
  if (typeof input === 'string') {
    // Most inputs are already compact; try them before building a copy without separators.
    const direct = commonMsisdn(input);
    if (direct !== undefined) return direct;
  }
  const parsed = parseThaiMobile(input);
  return parsed.valid ? parsed.msisdn : undefined;
}

export function isThaiMobile(input: unknown): boolean {
  return parseThaiMobile(input).valid;
}

/**
 * A number fit for logs: `081xxxx678`. Anything that is not a recognisable number is masked
 * whole but for its length, so a log never carries a full number by accident.
 */
export function maskPhone(input: unknown): string {
  const text = entryText(input);
  const parsed = parseThaiMobile(text);
  const national = parsed.valid ? `0${parsed.msisdn.slice(2)}` : text.replace(/\D/g, '');
  if (national.length < 7) return 'x'.repeat(Math.max(national.length, 3));
  return `${national.slice(0, 3)}${'x'.repeat(national.length - 6)}${national.slice(-3)}`;
}

/** A recipient entry as text, as the caller gave it (`''` for null or undefined). */
export function entryText(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  // Objects say what they are ("[object Object]"): a caller's mistake shown as it came.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return entry == null ? '' : String(entry);
}
