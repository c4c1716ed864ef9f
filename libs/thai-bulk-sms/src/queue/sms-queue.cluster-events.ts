import { Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { QueueEventsHost, QueueEventsListener } from '@nestjs/bullmq';
import type { Job, Queue, QueueEvents } from 'bullmq';
import { SendSmsResult } from '../sms/sms.types';
import { failureOf } from './chunk-failure';
import { SmsChunkJobData } from './queue.types';
import { SmsQueueEvents } from './sms-queue.events';
import { ResolvedSmsQueueOptions } from './thai-bulk-sms-queue.options';

/**
 * `events: 'queue'`: reports every chunk job of the queue that finished, whichever instance's
 * worker ran it, so an instance with `worker: false` (or one watching the whole cluster) sees them
 * too. Reads BullMQ's event stream through a QueueEvents that @nestjs/bullmq's explorer creates
 * and closes (QueueEventsHost). That stream says `completed` with the result, and `failed` only
 * when the job will not run again (a retry shows up as `delayed`/`waiting`, not as `failed`); the
 * job itself is read back for the send id, chunk count and recipients. A job already removed by
 * retention by then (a `count` retention of a few) cannot be described and is skipped, logged.
 */
export class SmsQueueClusterEvents extends QueueEventsHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('ThaiBulkSmsQueue');

  constructor(
    private readonly options: ResolvedSmsQueueOptions,
    private readonly queue: Queue<SmsChunkJobData, SendSmsResult>,
    private readonly events: SmsQueueEvents,
  ) {
    super();
  }

  /** The QueueEvents once the explorer created it (at module init); undefined before. */
  queueEventsIfCreated(): QueueEvents | undefined {
    try {
      return this.queueEvents;
    } catch {
      // QueueEventsHost's getter throws until the explorer has run: a module compiled but never initialised.
      return undefined;
    }
  }

  onApplicationBootstrap(): void {
    const queueEvents = this.queueEvents;
    this.events.completeAfter(() => queueEvents.close());
    queueEvents.on('error', (error) => this.logger.error(`queue events connection error: ${error.message}`));
    queueEvents.on('completed', ({ jobId }) => void this.report(jobId, 'completed'));
    queueEvents.on('failed', ({ jobId }) => void this.report(jobId, 'failed'));
  }

  private async report(jobId: string, type: 'completed' | 'failed'): Promise<void> {
    let job: Job<SmsChunkJobData, SendSmsResult> | undefined;
    try {
      job = await this.queue.getJob(jobId);
    } catch (error) {
      this.logger.warn(
        `could not read finished chunk ${jobId}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    if (!job) {
      this.logger.debug(`chunk ${jobId} ${type}, but it was removed before it could be read; not reported`);
      return;
    }
    const { alertId: sendId, index, chunks } = job.data;
    const base = { queueName: this.options.queueName, sendId, jobId, index, chunks };
    if (type === 'completed') this.events.publish({ type, ...base, result: job.returnvalue });
    else this.events.publish({ type, ...base, failure: failureOf(job) });
  }
}

/** Per registration, like the processor: `@QueueEventsListener` carries the queue name as class metadata. */
export function createSmsQueueClusterEvents(
  options: ResolvedSmsQueueOptions,
  queue: Queue<SmsChunkJobData, SendSmsResult>,
  events: SmsQueueEvents,
): SmsQueueClusterEvents | NoSmsQueueClusterEvents {
  if (options.events !== 'queue') return new NoSmsQueueClusterEvents();
  const RegistrationListener: Type<SmsQueueClusterEvents> = class extends SmsQueueClusterEvents {};
  QueueEventsListener(options.queueName)(RegistrationListener);
  return new RegistrationListener(options, queue, events);
}

/** `events: 'worker'`: nothing for the explorer to find, no connection opened. */
export class NoSmsQueueClusterEvents {}
