import { Logger } from '@nestjs/common';
import {
  InMemorySuppressionList,
  RedisSuppressionList,
  SuppressionList,
  ThaiBulkSmsComplianceOptions,
} from '@app/thai-bulk-sms/compliance';
import type { ComplianceConfig } from '../config/namespaces/compliance.config';
import type { AppRedis } from '../redis/app-redis.module';

/** What decides the opt-out store. */
export interface SuppressionStoreSources {
  readonly erasureKey: string;
  /** The app's Redis (REDIS_URL or QUEUE_ENABLED), or null. */
  readonly redis: AppRedis;
  /** REDIS_PREFIX: the list is the hash `<prefix>:suppressions`. */
  readonly redisPrefix: string;
  /**
   * The ledger's store (`MessageLedger.suppressionList({ erasureKey })`) when the ledger module is
   * registered: it wins, as the issue asks (the ledger's PostgreSQL, else Redis, else memory).
   */
  readonly ledgerList?: SuppressionList;
}

/** The opt-out store: the ledger's database when given, Redis when the app has it, memory otherwise. */
export function appSuppressionList(sources: SuppressionStoreSources): SuppressionList {
  if (sources.ledgerList) return sources.ledgerList;
  const { erasureKey, redis } = sources;
  if (redis) return new RedisSuppressionList(redis, { key: `${sources.redisPrefix}:suppressions`, erasureKey });
  new Logger('Compliance').warn(
    'The opt-out list is in memory (no REDIS_URL, no ledger): it is lost on restart and not shared between instances.',
  );
  return new InMemorySuppressionList({ erasureKey });
}

/** ThaiBulkSmsComplianceModule's options from the `compliance` namespace and the chosen store. */
export function appComplianceOptions(
  config: ComplianceConfig,
  suppressionList: SuppressionList,
): ThaiBulkSmsComplianceOptions {
  return {
    mode: config.mode,
    allowedLinkHosts: config.allowedLinkHosts,
    ...(config.optOutText !== undefined && { optOutText: config.optOutText }),
    appendOptOutText: config.appendOptOutText,
    marketingHours: config.marketingHours,
    suppressionList,
  };
}
