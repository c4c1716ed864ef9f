import { ThaiBulkSmsAbortedError } from '../errors';

/** Time as the client sees it; tests swap in a fake one so nothing really sleeps. */
export abstract class ThaiBulkSmsClock {
  abstract now(): number;
  /** Resolves after `ms`; rejects with ThaiBulkSmsAbortedError when `signal` fires first. */
  abstract sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class SystemClock extends ThaiBulkSmsClock {
  now(): number {
    return performance.timeOrigin + performance.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(ThaiBulkSmsAbortedError.beforeSending());
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(ThaiBulkSmsAbortedError.beforeSending());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
