import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { filter, Observable, Subject } from 'rxjs';
import { SmsQueueEvent } from './queue.types';

/** Event names on Nest's EventEmitter2, when @nestjs/event-emitter is in the app. */
export const SMS_QUEUE_COMPLETED_EVENT = 'thaibulksms.queue.completed';
export const SMS_QUEUE_FAILED_EVENT = 'thaibulksms.queue.failed';

interface Emitter {
  emit(event: string, payload: unknown): unknown;
}

/**
 * Where finished chunk jobs are reported: an RxJS stream (always), and Nest's EventEmitter2 when
 * `EventEmitterModule` is registered (optional peer; looked up, never required). Which jobs
 * depends on the `events` option: with `'worker'` (default) only the jobs this instance's worker
 * ran, so every finished job is reported once across the cluster (per run: a job re-run after a
 * crash is reported again), and an instance with `worker: false` reports nothing; with
 * `'queue'` every job of the queue, from BullMQ's event stream (SmsQueueClusterEvents).
 */
@Injectable()
export class SmsQueueEvents implements OnModuleInit, OnApplicationShutdown {
  private readonly subject = new Subject<SmsQueueEvent>();
  private readonly logger = new Logger('ThaiBulkSmsQueue');
  private emitter?: Emitter;
  /** What must have closed before the stream completes: the worker, the QueueEvents reader. */
  private readonly sources: (() => Promise<unknown>)[] = [];

  constructor(private readonly moduleRef: ModuleRef) {}

  readonly events$: Observable<SmsQueueEvent> = this.subject.asObservable();

  publish(event: SmsQueueEvent): void {
    this.subject.next(event);
    const emitter = this.emitter;
    if (!emitter) return;
    try {
      emitter.emit(event.type === 'completed' ? SMS_QUEUE_COMPLETED_EVENT : SMS_QUEUE_FAILED_EVENT, event);
    } catch (error) {
      // A throwing listener must not fail the job that already went out.
      this.logger.warn(`an EventEmitter2 listener threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Listener for one kind of event; returns the function that removes it. */
  on<T extends SmsQueueEvent['type']>(
    type: T,
    listener: (event: Extract<SmsQueueEvent, { type: T }>) => void,
  ): () => void {
    const subscription = this.events$
      .pipe(filter((event): event is Extract<SmsQueueEvent, { type: T }> => event.type === type))
      .subscribe((event) => {
        try {
          listener(event);
        } catch (error) {
          this.logger.warn(`a queue event listener threw: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    return () => subscription.unsubscribe();
  }

  /** Registers a source of events; the stream completes only after `close` has settled. */
  completeAfter(close: () => Promise<unknown>): void {
    this.sources.push(close);
  }

  /**
   * After the sources have closed. Not at module destroy: that comes before @nestjs/bullmq closes
   * the worker in its own onApplicationShutdown, and a worker closes by letting its active jobs
   * finish — their events would be dropped. Closing here is the same close (BullMQ's close() is
   * idempotent), so this waits for that drain whichever hook runs first.
   */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.sources.map((close) => close()));
    this.subject.complete();
  }

  /**
   * Looks the optional peer up once, with import() rather than require(): @nestjs/event-emitter 12
   * is ESM-only, and neither Jest's ESM mode nor Node before require(esm) can require() it.
   */
  async onModuleInit(): Promise<void> {
    try {
      const { EventEmitter2 } = (await import('@nestjs/event-emitter')) as { EventEmitter2: new () => Emitter };
      this.emitter = this.moduleRef.get(EventEmitter2, { strict: false });
    } catch {
      // Not installed, or EventEmitterModule not registered: the RxJS stream is the only channel.
    }
  }
}
