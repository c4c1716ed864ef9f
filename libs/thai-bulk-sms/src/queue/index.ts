// nestjs-thaibulksms/queue: durable, account-wide rate-limited sending on Redis (BullMQ).
// Needs the optional peers bullmq and @nestjs/bullmq; @nestjs/event-emitter is used when present.
export { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
export type {
  ThaiBulkSmsQueueModuleExtras,
  ThaiBulkSmsQueueForRootOptions,
  ThaiBulkSmsQueueForRootAsyncOptions,
} from './thai-bulk-sms-queue.module-definition';
export { SmsQueue } from './sms-queue.service';
export { SMS_CHUNK_JOB_NAME } from './sms-queue.dedupe';
export {
  SmsQueueDedupeConflictError,
  SmsQueueRateLimitMismatchError,
  SmsQueueUnknownOptionError,
} from './sms-queue.errors';
export { SMS_QUEUE_COMPLETED_EVENT, SMS_QUEUE_FAILED_EVENT } from './sms-queue.events';
export { getSmsQueueToken, InjectSmsQueue, THAI_BULK_SMS_QUEUE_MODULE_OPTIONS } from './thai-bulk-sms-queue.tokens';
export {
  DEFAULT_QUEUE_NAME,
  DEFAULT_REDIS_URL,
  QUEUE_OPTION_DEFAULTS,
  ThaiBulkSmsQueueOptionsError,
  redisOptionsFromUrl,
} from './thai-bulk-sms-queue.options';
export { ThaiBulkSmsQueueConnectionError } from './redis-readiness';
export { maskRedisUrl, parseRedisUrl } from './redis-url';
export { STALLED_ERROR_NAME, UNKNOWN_FAILURE_NAME } from './chunk-failure';
export { alertIdForKey, chunkJobId, MAX_DEDUPE_KEY_LENGTH } from './alert-plan';
export type * from './queue.types';
