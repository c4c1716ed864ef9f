import { readSandboxEnv, SandboxEnvError, type SandboxOptions } from '@app/thai-bulk-sms/sandbox';
import type { Env } from './config-namespace';

/**
 * Variables the app turns into sandbox options itself (port fallback, the credentials the app is
 * configured with, its own default sender), so the library's reader must not see them twice.
 */
const SET_BY_THE_APP: ReadonlySet<string> = new Set([
  'SANDBOX_PORT',
  'THAIBULKSMS_API_KEY',
  'THAIBULKSMS_API_SECRET',
  'THAIBULKSMS_OTP_KEY',
  'THAIBULKSMS_OTP_SECRET',
  'THAIBULKSMS_SENDER',
]);

/** The embedded sandbox's settings from SANDBOX_* (starting balances, approved senders…). */
export type EmbeddedSandboxEnv = Omit<
  SandboxOptions,
  'port' | 'host' | 'apiKey' | 'apiSecret' | 'otpKey' | 'otpSecret' | 'clock'
>;

/**
 * Reads the SANDBOX_* variables with the library's own reader (the one `npm run sandbox` uses),
 * so the embedded sandbox honours exactly what the stand-alone one does, and any variable the
 * library adds later. Problems go to the app's list, reported with the others at start.
 */
export function readEmbeddedSandboxEnv(env: Env, problems: string[]): EmbeddedSandboxEnv {
  const sandboxOnly = Object.fromEntries(Object.entries(env).filter(([name]) => !SET_BY_THE_APP.has(name)));
  try {
    const options: Partial<SandboxOptions> = { ...readSandboxEnv(sandboxOnly) };
    for (const setByTheApp of ['port', 'host', 'apiKey', 'apiSecret', 'otpKey', 'otpSecret', 'clock'] as const)
      delete options[setByTheApp];
    return options;
  } catch (error) {
    if (!(error instanceof SandboxEnvError)) throw error;
    const listed = error.message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s*-\s*/, '').trim())
      .filter((line) => line !== '');
    problems.push(...(listed.length > 0 ? listed : [error.message]));
    return {};
  }
}
