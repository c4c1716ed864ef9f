// The common shapes (0812345678, 66812345678, +66812345678, with spaces or dashes) on mobile
// prefixes that libphonenumber-js accepts for every subscriber number are answered without
// a full parse; the thai-phone spec checks that this agrees with libphonenumber-js.
const COMMON_MOBILE = /^(?:\+?66|0)((?:6[1-6]|[89]\d)\d{7})$/;
const SEPARATORS = /[\s\-.()]/g;

/** A number without its separators (spaces, dashes, dots, brackets). */
export function compactNumber(raw: string): string {
  return raw.replace(SEPARATORS, '');
}

/**
 * The vendor's form of `compact` when it is a common mobile form written without separators,
 * else `undefined` (which says nothing: only parseThaiMobile can tell). No parse, no allocation
 * but the answer: for the paths that read every recipient.
 */
export function commonMsisdn(compact: string): string | undefined {
  const match = COMMON_MOBILE.exec(compact);
  return match ? `66${match[1]}` : undefined;
}

/**
 * The vendor's form of a recipient entry in a common form, separators allowed, without a
 * libphonenumber parse; `undefined` when it is not one (it may still be valid: parseThaiMobile).
 */
export function quickMsisdn(entry: unknown): string | undefined {
  if (typeof entry !== 'string' && typeof entry !== 'number') return undefined;
  const raw = String(entry);
  return commonMsisdn(raw) ?? commonMsisdn(compactNumber(raw.trim()));
}
