import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import { EnvBool } from '../env.decorators';

export class QueueVariables {
  /** `true`: POST /alerts queues in Redis (ThaiBulkSmsQueueModule) and GET /alerts/:id reports progress. */
  @EnvBool() QUEUE_ENABLED = false;
  /** With the queue on: this instance also runs a worker that sends the queued chunks. */
  @EnvBool() QUEUE_WORKER = true;
}

/** Durable sending through the library's queue (README, "Scaling out"). */
export const queueConfig = configNamespace('queue', {
  variables: QueueVariables,
  check: (env) =>
    env.QUEUE_ENABLED && env.THAIBULKSMS_MAX_TPS === 0
      ? [
          'THAIBULKSMS_MAX_TPS=0 (no limit) cannot be used with QUEUE_ENABLED=true: the queue holds the account-wide rate limit in Redis; set it from 1 to 10000.',
        ]
      : [],
  read: (env) => ({ enabled: env.QUEUE_ENABLED, worker: env.QUEUE_WORKER }),
});

export type QueueConfig = ConfigType<typeof queueConfig>;
