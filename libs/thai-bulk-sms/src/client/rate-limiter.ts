import { ThaiBulkSmsAbortedError } from '../errors';
import { ThaiBulkSmsClock } from './clock';

/**
 * Paces requests to at most `maxTps` in every one-second window, shared by every call of one
 * registration.
 *
 * Requests leave on a fixed schedule, `(1000 + marginMs) / maxTps` ms apart, so `maxTps` of them
 * span `1000 + marginMs`: the margin absorbs timer and network jitter and costs about 1% of
 * throughput at the default 10 ms. The schedule is absolute: a timer that wakes late is caught up
 * by the next request instead of pushing every later one back (late wake-ups are the rule on a
 * busy event loop, and anchoring on them lost 2–10% of the rate). A log of the last `maxTps`
 * departures is the hard guarantee: no request leaves sooner than `1000 + marginMs / 2` after the
 * one `maxTps` before it, however the schedule catches up. After an idle spell or a stall longer
 * than MAX_CATCH_UP_MS the schedule restarts from now, so saved-up slots never come out as a burst.
 */
export class TpsRateLimiter {
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly departures: Float64Array;
  private next = 0;
  private count = 0;
  private nextDue = Number.NEGATIVE_INFINITY;
  // Callers queue on this chain so slots are handed out strictly in order.
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly maxTps: number,
    private readonly clock: ThaiBulkSmsClock,
    marginMs = 10,
  ) {
    const size = maxTps > 0 ? Math.max(1, Math.floor(maxTps)) : 1;
    this.intervalMs = maxTps > 0 ? (1000 + marginMs) / maxTps : 0;
    this.windowMs = 1000 + marginMs / 2;
    this.departures = new Float64Array(size);
  }

  get enabled(): boolean {
    return this.maxTps > 0;
  }

  /**
   * Resolves when the caller may send. An aborted caller is refused (ThaiBulkSmsAbortedError) as
   * soon as its signal fires, even while it waits behind others, and takes no slot: its place in
   * the queue is skipped without waiting when its turn comes.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ThaiBulkSmsAbortedError());
    if (!this.enabled) return Promise.resolve();
    const turn = this.tail.then(() => this.take(signal));
    this.tail = turn.catch(() => undefined);
    if (!signal) return turn;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new ThaiBulkSmsAbortedError());
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private async take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new ThaiBulkSmsAbortedError();
    let now = this.clock.now();
    if (now - this.nextDue > MAX_CATCH_UP_MS) this.nextDue = now;
    let wait = this.waitMs(now);
    while (wait > 0) {
      await this.clock.sleep(wait, signal);
      now = this.clock.now();
      wait = this.waitMs(now);
    }
    this.nextDue += this.intervalMs;
    this.departures[this.next] = now;
    this.next = (this.next + 1) % this.departures.length;
    if (this.count < this.departures.length) this.count++;
  }

  private waitMs(now: number): number {
    const schedule = this.nextDue - now;
    // `next` points at the oldest of the last maxTps departures once the log is full.
    const window = this.count === this.departures.length ? this.departures[this.next] + this.windowMs - now : 0;
    return Math.max(schedule, window);
  }
}

/** How far behind its schedule the limiter may run and still catch up (a few requests' worth). */
const MAX_CATCH_UP_MS = 50;
