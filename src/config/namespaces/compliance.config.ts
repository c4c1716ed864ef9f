import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import { EnvBool, EnvMatches, EnvMaxLength, EnvOneOf, EnvString } from '../env.decorators';
import { sandboxMode } from '../run-mode';

/**
 * The erasure key of sandbox mode when COMPLIANCE_ERASURE_KEY is not set: public, so refused
 * outside sandbox mode (a known key would let anyone test a number against the kept hashes).
 */
export const DEV_ERASURE_KEY = 'dev-erasure-key-change-me-0123456789';

const MIN_ERASURE_KEY_LENGTH = 32;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ComplianceVariables {
  /** `strict` refuses a send that breaks a rule, `warn` logs it and sends, `off` checks nothing. */
  @EnvOneOf(['strict', 'warn', 'off']) COMPLIANCE_MODE: 'strict' | 'warn' | 'off' = 'strict';
  /** Comma-separated hosts the app's links are registered under (`example.co.th`, `*.example.co.th`). */
  @EnvString() COMPLIANCE_LINK_HOSTS?: string;
  /** The opt-out line appended to marketing messages; unset: every marketing message is OPT_OUT_TEXT_MISSING. */
  @EnvMaxLength(200) COMPLIANCE_OPT_OUT_TEXT?: string;
  /** `false`: a marketing message must contain COMPLIANCE_OPT_OUT_TEXT itself (not appended). */
  @EnvBool() COMPLIANCE_APPEND_OPT_OUT_TEXT = true;
  /** Bangkok time from which marketing may be sent. */
  @EnvMatches(HH_MM, 'a 24-hour time HH:mm') COMPLIANCE_MARKETING_START = '09:00';
  /** Bangkok time from which it may not (excluded). */
  @EnvMatches(HH_MM, 'a 24-hour time HH:mm') COMPLIANCE_MARKETING_END = '21:00';
  /** Secret of the keyed hash an opt-out kept after a PDPA erasure is stored under (≥ 32 characters). */
  @EnvString() COMPLIANCE_ERASURE_KEY?: string;
}

/** The sending rules (README, "Compliance"): mode, registered link hosts, opt-out line, marketing hours. */
export const complianceConfig = configNamespace('compliance', {
  variables: ComplianceVariables,
  check: (env) => {
    const problems: string[] = [];
    const key = env.COMPLIANCE_ERASURE_KEY;
    if (key === undefined && !sandboxMode(env).enabled)
      problems.push(
        `COMPLIANCE_ERASURE_KEY is required outside sandbox mode: a secret of at least ${MIN_ERASURE_KEY_LENGTH} characters ` +
          `(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))").`,
      );
    else if (key !== undefined && key.length < MIN_ERASURE_KEY_LENGTH)
      problems.push(`COMPLIANCE_ERASURE_KEY must be at least ${MIN_ERASURE_KEY_LENGTH} characters.`);
    else if (key === DEV_ERASURE_KEY && !sandboxMode(env).enabled)
      problems.push('COMPLIANCE_ERASURE_KEY is the public development key; use a secret one.');
    if (env.COMPLIANCE_MARKETING_START >= env.COMPLIANCE_MARKETING_END)
      problems.push('COMPLIANCE_MARKETING_START must be before COMPLIANCE_MARKETING_END.');
    return problems;
  },
  read: (env) => ({
    mode: env.COMPLIANCE_MODE,
    allowedLinkHosts: (env.COMPLIANCE_LINK_HOSTS ?? '')
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host !== ''),
    ...(env.COMPLIANCE_OPT_OUT_TEXT !== undefined && { optOutText: env.COMPLIANCE_OPT_OUT_TEXT }),
    appendOptOutText: env.COMPLIANCE_APPEND_OPT_OUT_TEXT,
    marketingHours: { start: env.COMPLIANCE_MARKETING_START, end: env.COMPLIANCE_MARKETING_END },
    erasureKey: env.COMPLIANCE_ERASURE_KEY ?? DEV_ERASURE_KEY,
  }),
});

export type ComplianceConfig = ConfigType<typeof complianceConfig>;
