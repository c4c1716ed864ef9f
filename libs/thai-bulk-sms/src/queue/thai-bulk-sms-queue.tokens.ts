import { Inject, InjectionToken } from '@nestjs/common';
import { SmsQueue } from './sms-queue.service';
import { DEFAULT_QUEUE_NAME } from './thai-bulk-sms-queue.options';

/** The raw options as given to forRoot/forRootAsync. */
export const THAI_BULK_SMS_QUEUE_MODULE_OPTIONS = 'THAI_BULK_SMS_QUEUE_MODULE_OPTIONS';
/** Validated, defaulted options. Internal to the module. */
export const THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS = 'THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS';
/** The queue name of a registration (the `queueName` extra). Internal to the module. */
export const THAI_BULK_SMS_QUEUE_NAME = 'THAI_BULK_SMS_QUEUE_NAME';
/** The registration's processor (or its stand-in when `worker: false`). Internal to the module. */
export const THAI_BULK_SMS_QUEUE_PROCESSOR = 'THAI_BULK_SMS_QUEUE_PROCESSOR';

/** SmsQueue of the default queue is injected by class; another queue's by a readable token. */
export function getSmsQueueToken(queueName?: string): InjectionToken {
  return queueName === undefined || queueName === DEFAULT_QUEUE_NAME
    ? SmsQueue
    : `ThaiBulkSmsQueue:${queueName}:SmsQueue`;
}

export const InjectSmsQueue = (queueName?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getSmsQueueToken(queueName));
