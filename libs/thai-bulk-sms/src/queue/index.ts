// nestjs-thaibulksms/queue: durable, account-wide rate-limited sending on Redis (BullMQ).
// Needs the optional peers bullmq and @nestjs/bullmq; @nestjs/event-emitter is used when present.
export { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
export type { ThaiBulkSmsQueueModuleOptions } from './queue.types';
export { QUEUE_OPTION_DEFAULTS } from './thai-bulk-sms-queue.options';
export { SmsQueue } from './sms-queue.service';
export { getSmsQueueToken, InjectSmsQueue } from './thai-bulk-sms-queue.tokens';

// Enqueue, status and results
export type {
  EnqueueSendOptions,
  EnqueueOptions,
  EnqueueResult,
  SmsSendStatus,
  SmsSendState,
  SmsChunkState,
  SmsChunkFailure,
  SmsChunkOutcome,
} from './queue.types';

// Finished chunk jobs (also emitted on EventEmitter2 under these names)
export type { SmsQueueEvent, SmsQueueJobCompletedEvent, SmsQueueJobFailedEvent } from './queue.types';
export { SMS_QUEUE_COMPLETED_EVENT, SMS_QUEUE_FAILED_EVENT } from './sms-queue.events';

// Errors
export { SmsQueueDedupeConflictError, ThaiBulkSmsQueueConnectionError } from '../errors/queue.errors';
export {
  ThaiBulkSmsQueueOptionsError,
  SmsQueueRateLimitMismatchError,
  SmsQueueUnknownOptionError,
} from '../errors/options.errors';

// Redis URLs, read and masked as the module does
export { maskRedisUrl, parseRedisUrl } from './redis-url';
