import { SandboxEnvError } from '../errors';
import {
  SANDBOX_DEFAULT_CREDIT,
  SANDBOX_DEFAULT_HOST,
  SANDBOX_DEFAULT_PORT,
  SANDBOX_DEFAULT_SENDERS,
} from './sandbox.constants';
import { SandboxOptions } from './sandbox.types';

/**
 * Options for `npm run sandbox` from the environment (the sandbox README, "npm run sandbox").
 * Credentials are taken as given and never echoed in messages; a key without its secret is
 * refused, because the sandbox would then accept a pair no client is configured with.
 */
export function readSandboxEnv(env: Readonly<Record<string, string | undefined>>): SandboxOptions {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const whole = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max) {
      problems.push(`${name} must be a whole number between 0 and ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const pair = (keyName: string, secretName: string) => {
    const key = text(keyName);
    const secret = text(secretName);
    if ((key === undefined) !== (secret === undefined))
      problems.push(`set both ${keyName} and ${secretName}, or neither`);
    return key !== undefined && secret !== undefined ? { key, secret } : undefined;
  };

  const api = pair('THAIBULKSMS_API_KEY', 'THAIBULKSMS_API_SECRET');
  const otp = pair('THAIBULKSMS_OTP_KEY', 'THAIBULKSMS_OTP_SECRET');
  const port = whole('SANDBOX_PORT', SANDBOX_DEFAULT_PORT, 65535);
  const standard = whole('SANDBOX_CREDIT_STANDARD', SANDBOX_DEFAULT_CREDIT);
  const corporate = whole('SANDBOX_CREDIT_CORPORATE', SANDBOX_DEFAULT_CREDIT);
  const senderList = text('SANDBOX_SENDERS');
  const senders =
    senderList === undefined
      ? [...SANDBOX_DEFAULT_SENDERS]
      : senderList
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  if (senderList !== undefined && senders.length === 0) problems.push('SANDBOX_SENDERS must name at least one sender');
  const defaultSender = text('THAIBULKSMS_SENDER');
  if (defaultSender !== undefined && !senders.includes(defaultSender)) senders.push(defaultSender);
  const targetList = text('SANDBOX_DELIVERY_REPORT_TARGETS');
  const deliveryReportTargets = targetList
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  deliveryReportTargets?.forEach((target, i) => {
    if (!/^https?:\/\/[^/\s]+/i.test(target) || !URL.canParse(target))
      problems.push(`SANDBOX_DELIVERY_REPORT_TARGETS entry #${i + 1} must be an http(s) URL`);
  });

  if (problems.length > 0) throw new SandboxEnvError(problems);
  return {
    port,
    host: SANDBOX_DEFAULT_HOST,
    ...(api && { apiKey: api.key, apiSecret: api.secret }),
    ...(otp && { otpKey: otp.key, otpSecret: otp.secret }),
    credits: { standard, corporate },
    senders,
    ...(deliveryReportTargets && { deliveryReportTargets }),
  };
}
