import { ThaiBulkSmsAbortedError } from '../errors';
import { ThaiBulkSmsClock } from './clock';

/** Test clock: `sleep` moves time forward at once, so limits and backoff run without waiting. */
export class FakeClock extends ThaiBulkSmsClock {
  readonly sleeps: number[] = [];

  constructor(private time = 0) {
    super();
  }

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw ThaiBulkSmsAbortedError.beforeSending();
    this.sleeps.push(ms);
    if (ms > 0) this.time += ms;
  }
}
