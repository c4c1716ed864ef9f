import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import { readEmbeddedSandboxEnv } from '../embedded-sandbox-env';
import { EnvBool, EnvInt } from '../env.decorators';
import { isProduction, sandboxMode } from '../run-mode';

export class SandboxVariables {
  /** `true` forces the embedded sandbox, `false` forbids it; unset: on when THAIBULKSMS_API_KEY is not set. */
  @EnvBool() THAIBULKSMS_SANDBOX?: boolean;
  /** Port of the embedded sandbox; unset: the library's default port, or any free port when it is taken. */
  @EnvInt(0, 65_535) SANDBOX_PORT?: number;
  // SANDBOX_CREDIT_*, SANDBOX_SENDERS, SANDBOX_DELIVERY_REPORT_TARGETS: the library's own reader (embedded-sandbox-env.ts).
}

/** Sandbox mode: the in-process sandbox that stands in for ThaiBulkSMS (README, "Configuration"). */
export const sandboxConfig = configNamespace('sandbox', {
  variables: SandboxVariables,
  check: (env, given) => {
    const problems: string[] = [];
    if (env.THAIBULKSMS_SANDBOX === undefined && !env.THAIBULKSMS_API_KEY && isProduction(env))
      problems.push(
        'NODE_ENV=production but THAIBULKSMS_API_KEY is not set: set the ThaiBulkSMS credentials, ' +
          'or set THAIBULKSMS_SANDBOX=true to run the embedded sandbox on purpose.',
      );
    // Outside sandbox mode the SANDBOX_* variables mean nothing, so they are not checked either.
    if (sandboxMode(env).enabled) readEmbeddedSandboxEnv(given, problems);
    return problems;
  },
  read: (env, given) => {
    const { enabled, reason } = sandboxMode(env);
    return {
      enabled,
      reason,
      port: env.SANDBOX_PORT,
      /** Sandbox mode only: the SANDBOX_* settings (starting balances, approved senders, report targets). */
      settings: enabled ? readEmbeddedSandboxEnv(given, []) : undefined,
    };
  },
});

export type SandboxConfig = ConfigType<typeof sandboxConfig>;
