/** The longest text of the vendor's (an error description, a rejection reason) the library keeps. */
export const MAX_VENDOR_TEXT_LENGTH = 300;

/** The longest error name the library takes from an answer; the vendor's longest is 33 characters. */
const MAX_VENDOR_NAME_LENGTH = 64;
/** Upper snake case, as every name in the vendor's table: nothing else is relayed as an error name. */
const VENDOR_NAME = /^[A-Z][A-Z0-9_]+$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what it replaces
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const REDACTED = '[redacted]';

/**
 * Text from the vendor's answer made fit to keep, log and show: at most MAX_VENDOR_TEXT_LENGTH
 * characters on one line, with every credential of the registration replaced by `[redacted]`
 * (an answer that echoes the request must not carry the key into a log or a caller's answer).
 * `undefined` for anything that is not a non-empty string.
 */
export type VendorText = (text: unknown) => string | undefined;

/** A VendorText for a registration's credentials (empty and missing ones are skipped). */
export function vendorTextScrubber(credentials: readonly (string | undefined)[]): VendorText {
  // Longest first, so a secret that contains another is redacted whole.
  const secrets = [...new Set(credentials.filter((c): c is string => typeof c === 'string' && c !== ''))].sort(
    (a, b) => b.length - a.length,
  );
  const longest = secrets[0]?.length ?? 0;
  // Only a window of the text is read. Past it, a secret may be cut and so not redacted; the
  // window is long enough that even when every redaction before it shortens the text, such a
  // piece lands beyond the final cut.
  const window =
    longest > REDACTED.length
      ? Math.ceil((MAX_VENDOR_TEXT_LENGTH * longest) / REDACTED.length) + longest
      : MAX_VENDOR_TEXT_LENGTH + longest;
  return (text) => {
    if (typeof text !== 'string') return undefined;
    // Nothing below shortens the text but a redaction: control characters become one space each.
    let safe = text.trimStart();
    if (safe.length > window) safe = safe.slice(0, window);
    safe = safe.replace(CONTROL, ' ');
    for (const secret of secrets) if (safe.includes(secret)) safe = safe.split(secret).join(REDACTED);
    safe = safe.slice(0, MAX_VENDOR_TEXT_LENGTH).trimEnd();
    return safe === '' ? undefined : safe;
  };
}

/** The vendor's error name when it is one (upper snake case, bounded); `undefined` for anything else. */
export function vendorErrorName(name: unknown): string | undefined {
  return typeof name === 'string' && name.length <= MAX_VENDOR_NAME_LENGTH && VENDOR_NAME.test(name) ? name : undefined;
}
