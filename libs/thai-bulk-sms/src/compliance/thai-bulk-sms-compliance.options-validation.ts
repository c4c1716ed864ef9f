import { OptionsReader, OptionsReaderSettings } from '../errors/options-reader';
import { ThaiBulkSmsComplianceOptionsError } from '../errors/options.errors';
import { InMemorySuppressionList } from './in-memory-suppression-list';
import { findLinkHosts } from './link-detector';
import { LinkRules, normaliseHostPattern } from './link-rules';
import { MarketingHours, minutesOf } from './marketing-hours';
import {
  COMPLIANCE_OPTION_DEFAULTS,
  ComplianceMode,
  ResolvedComplianceOptions,
  ThaiBulkSmsComplianceOptions,
} from './thai-bulk-sms-compliance.options';

const SETTINGS: OptionsReaderSettings = {
  error: ThaiBulkSmsComplianceOptionsError,
  extras: ['policy'],
  factoryMethod: 'createThaiBulkSmsComplianceOptions',
};

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
const MAX_OPT_OUT_TEXT_LENGTH = 200;

/**
 * Checks the options field by field and fills in the defaults; an unknown key is refused (a typo
 * would otherwise leave a default in force without a word).
 */
export function resolveComplianceOptions(
  input: ThaiBulkSmsComplianceOptions | undefined | null,
): ResolvedComplianceOptions {
  const options: OptionsReader = OptionsReader.of(input, SETTINGS, { required: true }).known(KNOWN_OPTIONS);
  const mode = options.oneOf<ComplianceMode>('mode', COMPLIANCE_OPTION_DEFAULTS.mode, ['strict', 'warn', 'off']);
  const allowedLinkHosts = hostList(options, 'allowedLinkHosts', COMPLIANCE_OPTION_DEFAULTS.allowedLinkHosts, true);
  const shortenerHosts = hostList(options, 'shortenerHosts', COMPLIANCE_OPTION_DEFAULTS.shortenerHosts, false);
  const links = new LinkRules(allowedLinkHosts, shortenerHosts);
  for (const host of allowedLinkHosts) {
    if (links.isShortener(host.replace(/^\*\./, 'x.')))
      options.fail(
        'allowedLinkHosts',
        `${host} is a URL shortener, which carriers refuse; list the host of the full link`,
      );
  }
  const appendOptOutText = options.bool('appendOptOutText', COMPLIANCE_OPTION_DEFAULTS.appendOptOutText);
  const optOutText = optOutTextOf(options, links);

  return {
    mode,
    allowedLinkHosts,
    links,
    ...(optOutText === undefined ? {} : { optOutText }),
    appendOptOutText,
    hours: marketingHoursOf(options),
    suppressionList: suppressionListOf(options),
  };
}

function hostList(options: OptionsReader, field: string, fallback: readonly string[], wildcards: boolean): string[] {
  const value = options.value(field) ?? fallback;
  if (!Array.isArray(value)) options.fail(field, `must be an array of host names${options.got(field, value)}`);
  return value.map((entry: unknown) => {
    const pattern = normaliseHostPattern(entry);
    if (pattern === undefined || (!wildcards && pattern.startsWith('*.'))) {
      options.fail(
        field,
        `each entry must be a host name such as example.co.th${wildcards ? ' or *.example.co.th' : ''}, without scheme, path or port${options.got(field, entry)}`,
      );
    }
    return pattern;
  });
}

function optOutTextOf(options: OptionsReader, links: LinkRules): string | undefined {
  const value = options.value('optOutText');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_OPT_OUT_TEXT_LENGTH) {
    options.fail(
      'optOutText',
      `must be a non-empty string of at most ${MAX_OPT_OUT_TEXT_LENGTH} characters${options.got('optOutText', value)}`,
    );
  }
  // Appended to every marketing message: a link in it must pass the link rules itself.
  for (const host of findLinkHosts(value)) {
    if (links.verdict(host) !== 'allowed')
      options.fail('optOutText', `links to ${host}, which is not in allowedLinkHosts`);
  }
  return value.trim();
}

function marketingHoursOf(options: OptionsReader): MarketingHours {
  const hours = options.object('marketingHours', 'an object { start, end }').known(['start', 'end']);
  const { start: defaultStart, end: defaultEnd } = COMPLIANCE_OPTION_DEFAULTS.marketingHours;
  const times = { start: hours.value('start') ?? defaultStart, end: hours.value('end') ?? defaultEnd };
  for (const [name, time] of Object.entries(times)) {
    if (minutesOf(time) === undefined) hours.fail(name, `must be a 24-hour time HH:mm${hours.got(name, time)}`);
  }
  // Both are HH:mm strings now (minutesOf checked them).
  const [from, to] = [times.start as string, times.end as string];
  if (minutesOf(from)! >= minutesOf(to)!)
    options.fail('marketingHours', `start must be before end${options.got('marketingHours', `${from}-${to}`)}`);
  return new MarketingHours(from, to);
}

function suppressionListOf(options: OptionsReader): ResolvedComplianceOptions['suppressionList'] {
  const value = options.value('suppressionList');
  if (value === undefined) return new InMemorySuppressionList();
  // By shape, not instanceof: a store from the other build (CommonJS/ESM) of the package is one too.
  const store = value as Record<string, unknown> | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    ['get', 'add', 'remove', 'scopesOf'].some((m) => typeof store[m] !== 'function')
  ) {
    options.fail(
      'suppressionList',
      'must be a SuppressionList (new InMemorySuppressionList(), new RedisSuppressionList(redis), or your own subclass)',
    );
  }
  return value as ResolvedComplianceOptions['suppressionList'];
}
