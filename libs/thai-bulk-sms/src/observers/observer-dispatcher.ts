import { Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ThaiBulkSmsError } from '../errors';
import { THAI_BULK_SMS_OBSERVER_METADATA, ThaiBulkSmsObserver } from './thai-bulk-sms.observer';

/** How long a send waits for its observers before it answers anyway. */
export const OBSERVER_TIMEOUT_MS = 5_000;

type Hook = Exclude<keyof ThaiBulkSmsObserver, 'observerTimeoutMs'>;
type EventOf<H extends Hook> = Parameters<NonNullable<ThaiBulkSmsObserver[H]>>[0];

/**
 * Finds the app's observers (providers marked with `@ThaiBulkSmsObserver()`) on first use and
 * calls them. With none registered, `notify` returns undefined at once, so a registration that
 * nobody observes pays nothing. An observer that throws, rejects or outlasts the timeout is
 * logged and counted in `failures`; the send it observed is never failed by it.
 */
export class ObserverDispatcher {
  private observers?: readonly ThaiBulkSmsObserver[];
  private failureCount = 0;

  constructor(
    private readonly discovery: DiscoveryService | undefined,
    private readonly logger: Logger,
    private readonly timeoutMs = OBSERVER_TIMEOUT_MS,
  ) {}

  /** Observer calls that threw, rejected or timed out since start. */
  get failures(): number {
    return this.failureCount;
  }

  /**
   * Calls every observer of `hook`; a promise only when one of them answered with one (observers
   * that return nothing, like the telemetry counters, cost no promise, timer or await).
   */
  notify<H extends Hook>(hook: H, event: () => EventOf<H>): Promise<void> | undefined {
    const observers = (this.observers ??= this.discover()).filter((observer) => typeof observer[hook] === 'function');
    if (observers.length === 0) return undefined;
    const built = event();
    let pending: Promise<void>[] | undefined;
    for (const observer of observers) {
      const waiting = this.call(observer, hook, built);
      if (waiting) (pending ??= []).push(waiting);
    }
    return pending && Promise.all(pending).then(() => undefined);
  }

  private call<H extends Hook>(observer: ThaiBulkSmsObserver, hook: H, event: EventOf<H>): Promise<void> | undefined {
    const name = observer.constructor?.name ?? 'observer';
    let returned: unknown;
    try {
      const method = observer[hook] as (event: EventOf<H>) => void | Promise<void>;
      returned = method.call(observer, event);
    } catch (error) {
      this.failed(name, hook, describe(error));
      return undefined;
    }
    if (!isThenable(returned)) return undefined;
    const outcome = Promise.resolve(returned);
    const timeoutMs = observerTimeoutOf(observer) ?? this.timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, 'timeout');
      timer.unref?.();
    });
    return Promise.race([outcome, timeout]).then(
      (result) => {
        clearTimeout(timer);
        if (result === 'timeout') this.failed(name, hook, `no answer within ${timeoutMs} ms`);
      },
      (error: unknown) => {
        clearTimeout(timer);
        this.failed(name, hook, describe(error));
      },
    );
  }

  private failed(name: string, hook: string, why: string): void {
    this.failureCount++;
    this.logger.warn(`observer ${name}.${hook} failed (${why}); the send is not affected`);
  }

  private discover(): readonly ThaiBulkSmsObserver[] {
    if (!this.discovery) return [];
    const found = new Set<ThaiBulkSmsObserver>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const { metatype } = wrapper;
      // Request-scoped providers have no instance to call from a send.
      if (!instance || !metatype || typeof metatype !== 'function' || !wrapper.isDependencyTreeStatic()) continue;
      if (Reflect.getMetadata(THAI_BULK_SMS_OBSERVER_METADATA, metatype) === true) found.add(instance);
    }
    return [...found];
  }
}

/** An observer's own bound (`observerTimeoutMs`), when it states a sensible one. */
function observerTimeoutOf(observer: ThaiBulkSmsObserver): number | undefined {
  const ms = observer.observerTimeoutMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** The error's name only: an observer's message may quote what it was given. */
function describe(error: unknown): string {
  if (error instanceof ThaiBulkSmsError) return error.errorName;
  return error instanceof Error ? error.name : typeof error;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';
