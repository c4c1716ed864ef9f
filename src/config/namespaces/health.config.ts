import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import { EnvInt } from '../env.decorators';

export class HealthVariables {
  /** GET /health is down below this standard balance; unset: not checked. */
  @EnvInt(0, Number.MAX_SAFE_INTEGER) THAIBULKSMS_MIN_CREDIT?: number;
  /** How long one ThaiBulkSMS check answers GET /health; 0: every call checks. */
  @EnvInt(0, 3_600) HEALTH_CACHE_SECONDS = 10;
}

/** Readiness (GET /health): the library's ThaiBulkSmsHealthIndicator, cached. */
export const healthConfig = configNamespace('health', {
  variables: HealthVariables,
  read: (env) => ({ minCredit: env.THAIBULKSMS_MIN_CREDIT, cacheSeconds: env.HEALTH_CACHE_SECONDS }),
});

export type HealthConfig = ConfigType<typeof healthConfig>;
