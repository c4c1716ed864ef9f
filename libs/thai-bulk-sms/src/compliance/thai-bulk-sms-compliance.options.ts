import { KNOWN_SHORTENER_HOSTS } from './known-shorteners';
import { LinkRules } from './link-rules';
import { MarketingHours } from './marketing-hours';
import { SuppressionList } from './suppression-list';

/**
 * `strict` refuses a send that breaks a rule (typed errors, nothing sent); `warn` logs the rule
 * (masked, never the message text), counts it and sends; `off` checks nothing and drops nobody.
 * The opt-out list is honoured in `strict` and `warn` alike (docs/decisions.md).
 */
export type ComplianceMode = 'strict' | 'warn' | 'off';

export interface MarketingHoursOptions {
  /** Bangkok wall time `HH:mm` from which marketing may be sent. @default '09:00' */
  readonly start?: string;
  /** Bangkok wall time `HH:mm` from which it may not (excluded). @default '21:00' */
  readonly end?: string;
}

/** Options of `ThaiBulkSmsComplianceModule.forRoot` / what `forRootAsync`'s factory returns. */
export interface ThaiBulkSmsComplianceOptions {
  /** @default 'warn' */
  readonly mode?: ComplianceMode;
  /**
   * Hosts your links are registered under (with your sender name): `example.co.th` (with its
   * `www.`), `*.example.co.th` for its subdomains (not the apex itself), IDN in Unicode or
   * punycode. Any other link host is LINK_NOT_REGISTERED. @default [] (every link is refused)
   */
  readonly allowedLinkHosts?: readonly string[];
  /**
   * URL-shortener hosts refused with LINK_SHORTENER_NOT_ALLOWED (their subdomains too).
   * @default KNOWN_SHORTENER_HOSTS
   */
  readonly shortenerHosts?: readonly string[];
  /**
   * The line that tells how to opt out (`ส่ง STOP ไปที่ 4xxxxxx`), required in every marketing
   * message. Without it every marketing message is OPT_OUT_TEXT_MISSING. @default undefined
   */
  readonly optOutText?: string;
  /**
   * Append `optOutText` (on a new line) to a marketing message that lacks it; it counts in
   * `SmsService.estimate`. `false`: a marketing message without it is OPT_OUT_TEXT_MISSING.
   * @default true
   */
  readonly appendOptOutText?: boolean;
  /** The daily window for marketing, Bangkok time. @default { start: '09:00', end: '21:00' } */
  readonly marketingHours?: MarketingHoursOptions;
  /**
   * The opt-out list: `new RedisSuppressionList(redis)` for several instances, your own store
   * (extend SuppressionList), or the default in-memory one. Injectable as `SuppressionList`.
   * @default new InMemorySuppressionList()
   */
  readonly suppressionList?: SuppressionList;
}

export interface ResolvedComplianceOptions {
  readonly mode: ComplianceMode;
  readonly allowedLinkHosts: readonly string[];
  readonly links: LinkRules;
  readonly optOutText?: string;
  readonly appendOptOutText: boolean;
  readonly hours: MarketingHours;
  /** Absent for the registration default (no ThaiBulkSmsComplianceModule): nobody is dropped. */
  readonly suppressionList?: SuppressionList;
}

export const COMPLIANCE_OPTION_DEFAULTS = {
  mode: 'warn' as ComplianceMode,
  allowedLinkHosts: [] as readonly string[],
  shortenerHosts: KNOWN_SHORTENER_HOSTS,
  appendOptOutText: true,
  marketingHours: { start: '09:00', end: '21:00' },
} as const;
