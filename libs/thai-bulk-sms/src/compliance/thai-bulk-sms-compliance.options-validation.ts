import { InMemorySuppressionList } from './in-memory-suppression-list';
import { findLinkHosts } from './link-detector';
import { LinkRules, normaliseHostPattern } from './link-rules';
import { MarketingHours, minutesOf } from './marketing-hours';
import {
  COMPLIANCE_OPTION_DEFAULTS,
  ResolvedComplianceOptions,
  ThaiBulkSmsComplianceOptions,
} from './thai-bulk-sms-compliance.options';

/** Thrown at bootstrap when the compliance options are unusable; names the field. */
export class ThaiBulkSmsComplianceOptionsError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`ThaiBulkSmsComplianceModule: invalid option "${field}": ${reason}`);
    this.name = 'ThaiBulkSmsComplianceOptionsError';
  }
}

// A Record over the interface's keys: an option added without listing it here does not compile.
const KNOWN_OPTIONS = Object.keys({
  mode: true,
  allowedLinkHosts: true,
  shortenerHosts: true,
  optOutText: true,
  appendOptOutText: true,
  marketingHours: true,
  suppressionList: true,
} satisfies Record<keyof ThaiBulkSmsComplianceOptions, true>);
const MODES = ['strict', 'warn', 'off'];
const MAX_OPT_OUT_TEXT_LENGTH = 200;

/** Quoted back bounded; option values here are never secrets. */
const got = (value: unknown): string =>
  ` (got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : Array.isArray(value) ? 'an array' : String(value)})`;

/**
 * Checks the options field by field and fills in the defaults; an unknown key is refused (a typo
 * would otherwise leave a default in force without a word).
 */
export function resolveComplianceOptions(
  input: ThaiBulkSmsComplianceOptions | undefined | null,
): ResolvedComplianceOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new ThaiBulkSmsComplianceOptionsError('options', 'must be an object');
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key))
      throw new ThaiBulkSmsComplianceOptionsError(key, `unknown option; known: ${KNOWN_OPTIONS.join(', ')}`);
  }
  const mode = options.mode ?? COMPLIANCE_OPTION_DEFAULTS.mode;
  if (typeof mode !== 'string' || !MODES.includes(mode))
    throw new ThaiBulkSmsComplianceOptionsError('mode', `must be 'strict', 'warn' or 'off'${got(mode)}`);

  const allowedLinkHosts = hostList(options, 'allowedLinkHosts', COMPLIANCE_OPTION_DEFAULTS.allowedLinkHosts, true);
  const shortenerHosts = hostList(options, 'shortenerHosts', COMPLIANCE_OPTION_DEFAULTS.shortenerHosts, false);
  const links = new LinkRules(allowedLinkHosts, shortenerHosts);
  for (const host of allowedLinkHosts) {
    if (links.isShortener(host.replace(/^\*\./, 'x.')))
      throw new ThaiBulkSmsComplianceOptionsError(
        'allowedLinkHosts',
        `${host} is a URL shortener, which carriers refuse; list the host of the full link`,
      );
  }

  const appendOptOutText = options.appendOptOutText ?? COMPLIANCE_OPTION_DEFAULTS.appendOptOutText;
  if (typeof appendOptOutText !== 'boolean')
    throw new ThaiBulkSmsComplianceOptionsError('appendOptOutText', `must be a boolean${got(appendOptOutText)}`);
  const optOutText = optOutTextOf(options.optOutText, links);

  return {
    mode: mode as ResolvedComplianceOptions['mode'],
    allowedLinkHosts,
    links,
    ...(optOutText === undefined ? {} : { optOutText }),
    appendOptOutText,
    hours: marketingHoursOf(options.marketingHours),
    suppressionList: suppressionListOf(options.suppressionList),
  };
}

function hostList(
  options: Record<string, unknown>,
  field: string,
  fallback: readonly string[],
  wildcards: boolean,
): string[] {
  const value = options[field] ?? fallback;
  if (!Array.isArray(value))
    throw new ThaiBulkSmsComplianceOptionsError(field, `must be an array of host names${got(value)}`);
  return value.map((entry: unknown) => {
    const pattern = normaliseHostPattern(entry);
    if (pattern === undefined || (!wildcards && pattern.startsWith('*.'))) {
      throw new ThaiBulkSmsComplianceOptionsError(
        field,
        `each entry must be a host name such as example.co.th${wildcards ? ' or *.example.co.th' : ''}, without scheme, path or port${got(entry)}`,
      );
    }
    return pattern;
  });
}

function optOutTextOf(value: unknown, links: LinkRules): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_OPT_OUT_TEXT_LENGTH) {
    throw new ThaiBulkSmsComplianceOptionsError(
      'optOutText',
      `must be a non-empty string of at most ${MAX_OPT_OUT_TEXT_LENGTH} characters${got(value)}`,
    );
  }
  // Appended to every marketing message: a link in it must pass the link rules itself.
  for (const host of findLinkHosts(value)) {
    if (links.verdict(host) !== 'allowed')
      throw new ThaiBulkSmsComplianceOptionsError('optOutText', `links to ${host}, which is not in allowedLinkHosts`);
  }
  return value.trim();
}

function marketingHoursOf(value: unknown): MarketingHours {
  const hours = value ?? {};
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours))
    throw new ThaiBulkSmsComplianceOptionsError('marketingHours', `must be an object { start, end }${got(value)}`);
  const fields = hours as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'start' && key !== 'end')
      throw new ThaiBulkSmsComplianceOptionsError(`marketingHours.${key}`, 'unknown option; known: start, end');
  }
  const start = fields.start ?? COMPLIANCE_OPTION_DEFAULTS.marketingHours.start;
  const end = fields.end ?? COMPLIANCE_OPTION_DEFAULTS.marketingHours.end;
  for (const [name, time] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (minutesOf(time) === undefined)
      throw new ThaiBulkSmsComplianceOptionsError(`marketingHours.${name}`, `must be a 24-hour time HH:mm${got(time)}`);
  }
  // Both are HH:mm strings now (minutesOf checked them).
  const [from, to] = [start as string, end as string];
  if (minutesOf(from)! >= minutesOf(to)!)
    throw new ThaiBulkSmsComplianceOptionsError('marketingHours', `start must be before end${got(`${from}-${to}`)}`);
  return new MarketingHours(from, to);
}

function suppressionListOf(value: unknown): ResolvedComplianceOptions['suppressionList'] {
  if (value === undefined) return new InMemorySuppressionList();
  // By shape, not instanceof: a store from the other build (CommonJS/ESM) of the package is one too.
  const store = value as Record<string, unknown> | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    ['get', 'add', 'remove', 'scopesOf'].some((m) => typeof store[m] !== 'function')
  ) {
    throw new ThaiBulkSmsComplianceOptionsError(
      'suppressionList',
      'must be a SuppressionList (new InMemorySuppressionList(), new RedisSuppressionList(redis), or your own subclass)',
    );
  }
  return value as ResolvedComplianceOptions['suppressionList'];
}
