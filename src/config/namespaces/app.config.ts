import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import type { Environment } from '../app-config';
import { EnvOneOf, EnvString } from '../env.decorators';
import { isProduction, sandboxMode } from '../run-mode';

/**
 * The development key accepted in sandbox mode when APP_API_KEYS is not set. It is printed at
 * start and used in the README's curl examples; it is refused outside sandbox mode.
 */
export const DEV_API_KEY = 'dev-key-change-me';

const MIN_KEY_LENGTH = 16;

export type LogFormat = 'json' | 'text';

export class AppVariables {
  /** `production`: JSON logs, and no implicit sandbox or missing APP_API_KEYS. */
  @EnvString() NODE_ENV = 'development';
  /** Comma-separated keys accepted in x-api-key. */
  @EnvString() APP_API_KEYS?: string;
  /** Unset: json in production, text otherwise. */
  @EnvOneOf(['json', 'text']) LOG_FORMAT?: LogFormat;
}

/** Who may call the app (APP_API_KEYS) and how it logs. */
export const appConfig = configNamespace('app', {
  variables: AppVariables,
  check: (env) => {
    const production = isProduction(env);
    // In sandbox mode, outside production, the development key stands in and any key will do.
    if (sandboxMode(env).enabled && !production) return [];
    const keys = apiKeysOf(env);
    if (keys.length === 0)
      return [
        `APP_API_KEYS is required ${production ? 'when NODE_ENV=production' : 'outside sandbox mode'}: ` +
          `a comma-separated list of keys (at least ${MIN_KEY_LENGTH} characters each) that callers send in the x-api-key header. ` +
          `Generate one with: node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))"`,
      ];
    return keys.flatMap((key, i) => {
      if (key === DEV_API_KEY) return [`APP_API_KEYS entry #${i + 1} is the public development key; use a secret one.`];
      if (key.length < MIN_KEY_LENGTH)
        return [`APP_API_KEYS entry #${i + 1} is shorter than ${MIN_KEY_LENGTH} characters.`];
      return [];
    });
  },
  read: (env) => {
    const keys = apiKeysOf(env);
    // The check passed: no keys means sandbox mode outside production.
    const usingDevApiKey = keys.length === 0;
    return {
      nodeEnv: env.NODE_ENV,
      logFormat: env.LOG_FORMAT ?? (isProduction(env) ? 'json' : 'text'),
      /** Keys accepted in `x-api-key`. */
      apiKeys: usingDevApiKey ? [DEV_API_KEY] : keys,
      /** True when the key list is the development default (sandbox mode without APP_API_KEYS). */
      usingDevApiKey,
    };
  },
});

const apiKeysOf = (env: Pick<Environment, 'APP_API_KEYS'>): string[] =>
  (env.APP_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);

export type ApplicationConfig = ConfigType<typeof appConfig>;
