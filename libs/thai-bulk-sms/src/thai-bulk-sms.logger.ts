import { Logger } from '@nestjs/common';
import { maskPhone } from './phone/thai-phone';
import { DEFAULT_REGISTRATION_NAME } from './thai-bulk-sms.constants';

/** One logger context per registration, so two accounts' lines can be told apart. */
export function loggerFor(name: string): Logger {
  return new Logger(name === DEFAULT_REGISTRATION_NAME ? 'ThaiBulkSms' : `ThaiBulkSms:${name}`);
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators. A backslash is left
// alone, so escaping twice (a logSafeText value in a text-format line) changes nothing more.
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const UNSAFE_IN_A_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every character that could break or recolour a log line escaped (`\n`, `\u001b`…). */
export function escapeLogText(text: string): string {
  return text.replace(
    UNSAFE_IN_A_LINE,
    (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Eight or more digits, maybe with a leading +, spaces, dashes, dots or brackets between them. */
const PHONE_LIKE = /\+?\(?\d[\d ().-]{6,}\d/g;

/**
 * A value that came from outside (a webhook field, a vendor's words), ready for a log line: plain
 * values only (an object or array is named, never read), anything that reads as a phone number
 * masked (`maskPhone`), control characters and line breaks escaped, and at most `maxLength`
 * characters (then `…`). Undefined for undefined or null.
 */
export function logSafeText(value: unknown, maxLength = 64): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? String(value)
        : Array.isArray(value)
          ? '[array]'
          : `[${typeof value}]`;
  // Masked before it is cut, so no number loses its tail to the cut and escapes the mask.
  const masked = text.slice(0, maxLength * 4).replace(PHONE_LIKE, (digits) => maskPhone(digits));
  const escaped = escapeLogText(masked);
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength)}…` : escaped;
}
