import type { Environment } from './app-config';

/**
 * Whether the app runs against the embedded sandbox, and why (for the start-up log and the
 * messages): THAIBULKSMS_SANDBOX when set, else on exactly when THAIBULKSMS_API_KEY is not set.
 */
export function sandboxMode(env: Pick<Environment, 'THAIBULKSMS_SANDBOX' | 'THAIBULKSMS_API_KEY'>): {
  readonly enabled: boolean;
  readonly reason: string;
} {
  if (env.THAIBULKSMS_SANDBOX !== undefined)
    return { enabled: env.THAIBULKSMS_SANDBOX, reason: `THAIBULKSMS_SANDBOX=${env.THAIBULKSMS_SANDBOX}` };
  return env.THAIBULKSMS_API_KEY
    ? { enabled: false, reason: 'THAIBULKSMS_API_KEY is set' }
    : { enabled: true, reason: 'THAIBULKSMS_API_KEY is not set' };
}

/** NODE_ENV=production: JSON logs, and no implicit sandbox or missing APP_API_KEYS. */
export const isProduction = (env: Pick<Environment, 'NODE_ENV'>): boolean => env.NODE_ENV === 'production';
