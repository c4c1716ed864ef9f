import { MAX_SENDER_LENGTH } from './thai-bulk-sms.constants';
import {
  OPTION_DEFAULTS,
  ResolvedThaiBulkSmsOptions,
  RetryPolicy,
  ThaiBulkSmsModuleOptions,
} from './thai-bulk-sms.options';

/** Thrown at bootstrap when the options are unusable. Names the field; never echoes a secret. */
export class ThaiBulkSmsOptionsError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`ThaiBulkSmsModule: invalid option "${field}": ${reason}`);
    this.name = 'ThaiBulkSmsOptionsError';
  }
}

const SECRET_FIELDS = new Set(['apiKey', 'apiSecret', 'otpKey', 'otpSecret']);
const URL_FIELDS = new Set(['baseUrl', 'otpBaseUrl']);

// A Record over the interface's keys: adding an option without listing it here does not compile.
const KNOWN_OPTIONS = Object.keys({
  apiKey: true,
  apiSecret: true,
  otpKey: true,
  otpSecret: true,
  baseUrl: true,
  otpBaseUrl: true,
  defaultSender: true,
  defaultForce: true,
  timeoutMs: true,
  maxTps: true,
  maxConcurrency: true,
  retry: true,
  maxMessageParts: true,
} satisfies Record<keyof ThaiBulkSmsModuleOptions, true>);
const KNOWN_RETRY_OPTIONS = Object.keys({ retries: true, baseDelayMs: true, maxDelayMs: true } satisfies Record<
  keyof RetryPolicy,
  true
>);
// Extras shape the module graph, which Nest builds before any factory runs: from useFactory (or
// createThaiBulkSmsOptions) they would be silently ignored, so they are refused with a pointer.
const EXTRAS = new Set(['isGlobal', 'name', 'transport']);

/** Only non-secret values are quoted back, so a typo'd secret never lands in a boot log. */
function got(field: string, value: unknown): string {
  if (SECRET_FIELDS.has(field)) return '';
  const text = typeof value === 'string' && URL_FIELDS.has(field) ? withoutUserinfo(value) : value;
  const shown = typeof text === 'string' ? JSON.stringify(text.slice(0, 60)) : String(text);
  return ` (got ${shown})`;
}

/**
 * `https://user:pass@host` → `https://***@host`: a URL may carry the API secret as its password.
 * Everything up to the last `@` goes, parsable or not, since a malformed URL is the one quoted.
 */
function withoutUserinfo(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = value.indexOf('//');
  const from = scheme >= 0 && scheme < at ? scheme + 2 : 0;
  return `${value.slice(0, from)}***${value.slice(at)}`;
}

/** Unknown keys are typos or misplaced extras; never quoted with their value (it may be a secret). */
function refuseUnknownKeys(fields: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(fields)) {
    if (known.includes(key)) continue;
    const field = prefix + key;
    if (!prefix && EXTRAS.has(key)) {
      throw new ThaiBulkSmsOptionsError(
        field,
        `is not an option but an extra of the registration: give it at the top level of forRootAsync({ ${key}, useFactory, … }), not in what useFactory (or createThaiBulkSmsOptions) returns`,
      );
    }
    const near = closest(key, known);
    throw new ThaiBulkSmsOptionsError(
      field,
      `unknown option${near ? ` (did you mean "${prefix}${near}"?)` : ''}; known: ${known.join(', ')}`,
    );
  }
}

/** The known key a typo most likely meant: same letters in another case, or at most 2 edits away. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function optionalString(options: Record<string, unknown>, field: string): string | undefined {
  const value = options[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ThaiBulkSmsOptionsError(field, `must be a non-empty string${got(field, value)}`);
  }
  return value;
}

function url(options: Record<string, unknown>, field: string, fallback: string): string {
  const value = optionalString(options, field) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ThaiBulkSmsOptionsError(field, `must be an absolute http(s) URL${got(field, value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ThaiBulkSmsOptionsError(field, `must be an absolute http(s) URL${got(field, value)}`);
  }
  // A trailing slash would double up with the paths ("//sms").
  return value.replace(/\/+$/, '');
}

function int(options: Record<string, unknown>, field: string, fallback: number, min: number): number {
  const value = options[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ThaiBulkSmsOptionsError(field, `must be an integer >= ${min}${got(field, value)}`);
  }
  return value;
}

function pair(options: Record<string, unknown>, key: string, secret: string): [string | undefined, string | undefined] {
  const k = optionalString(options, key);
  const s = optionalString(options, secret);
  if (k !== undefined && s === undefined) throw new ThaiBulkSmsOptionsError(secret, `is required when ${key} is set`);
  if (s !== undefined && k === undefined) throw new ThaiBulkSmsOptionsError(key, `is required when ${secret} is set`);
  return [k, s];
}

/**
 * Checks the options field by field and fills in the defaults. An unknown key is refused (a typo
 * such as `timeoutMS` would otherwise leave the default in force without a word). Credentials are optional one pair
 * at a time (an app may use only SMS or only OTP), but a registration needs at least one pair.
 */
export function resolveThaiBulkSmsOptions(
  input: ThaiBulkSmsModuleOptions | undefined | null,
): ResolvedThaiBulkSmsOptions {
  if (input === null || typeof input !== 'object') {
    throw new ThaiBulkSmsOptionsError('options', 'must be an object');
  }
  const options = input as Record<string, unknown>;
  refuseUnknownKeys(options, KNOWN_OPTIONS, '');
  const [apiKey, apiSecret] = pair(options, 'apiKey', 'apiSecret');
  const [otpKey, otpSecret] = pair(options, 'otpKey', 'otpSecret');
  if (apiKey === undefined && otpKey === undefined) {
    throw new ThaiBulkSmsOptionsError(
      'apiKey',
      'set apiKey/apiSecret (SMS, credit) or otpKey/otpSecret (OTP), or both',
    );
  }

  const defaultSender = optionalString(options, 'defaultSender') ?? OPTION_DEFAULTS.defaultSender;
  if (defaultSender.length > MAX_SENDER_LENGTH) {
    throw new ThaiBulkSmsOptionsError(
      'defaultSender',
      `must be at most ${MAX_SENDER_LENGTH} characters${got('defaultSender', defaultSender)}`,
    );
  }
  const defaultForce = options.defaultForce ?? OPTION_DEFAULTS.defaultForce;
  if (defaultForce !== 'standard' && defaultForce !== 'corporate') {
    throw new ThaiBulkSmsOptionsError(
      'defaultForce',
      `must be 'standard' or 'corporate'${got('defaultForce', defaultForce)}`,
    );
  }
  const maxTps = options.maxTps ?? OPTION_DEFAULTS.maxTps;
  if (typeof maxTps !== 'number' || !Number.isFinite(maxTps) || maxTps < 0) {
    throw new ThaiBulkSmsOptionsError(
      'maxTps',
      `must be a number >= 0 (0 turns the limit off)${got('maxTps', maxTps)}`,
    );
  }

  const retryInput = options.retry ?? {};
  if (typeof retryInput !== 'object' || retryInput === null)
    throw new ThaiBulkSmsOptionsError('retry', 'must be an object');
  const retryFields = retryInput as Record<string, unknown>;
  refuseUnknownKeys(retryFields, KNOWN_RETRY_OPTIONS, 'retry.');
  const retry = {
    retries: int(prefixed(retryFields), 'retry.retries', OPTION_DEFAULTS.retry.retries, 0),
    baseDelayMs: int(prefixed(retryFields), 'retry.baseDelayMs', OPTION_DEFAULTS.retry.baseDelayMs, 0),
    maxDelayMs: int(prefixed(retryFields), 'retry.maxDelayMs', OPTION_DEFAULTS.retry.maxDelayMs, 0),
  };

  return {
    apiKey,
    apiSecret,
    otpKey,
    otpSecret,
    baseUrl: url(options, 'baseUrl', OPTION_DEFAULTS.baseUrl),
    otpBaseUrl: url(options, 'otpBaseUrl', OPTION_DEFAULTS.otpBaseUrl),
    defaultSender,
    defaultForce,
    timeoutMs: int(options, 'timeoutMs', OPTION_DEFAULTS.timeoutMs, 1),
    maxTps,
    maxConcurrency: int(options, 'maxConcurrency', OPTION_DEFAULTS.maxConcurrency, 1),
    maxMessageParts: int(options, 'maxMessageParts', OPTION_DEFAULTS.maxMessageParts, 1),
    retry,
  };
}

const prefixed = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [`retry.${k}`, v]));
