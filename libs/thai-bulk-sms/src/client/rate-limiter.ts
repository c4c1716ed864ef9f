import { ThaiBulkSmsAbortedError } from '../errors';
import { ThaiBulkSmsClock } from './clock';

/**
 * Paces requests to at most `maxTps` in every one-second window, shared by every call of one
 * registration (docs/architecture.md, "Rate limits").
 *
 * The schedule: requests leave `(1000 + marginMs) / maxTps` ms apart on an absolute schedule; a
 * timer that wakes late is caught up by the next request, and after a stall longer than
 * MAX_CATCH_UP_MS the schedule restarts from now. Why: late wake-ups are the rule on a busy event
 * loop, and saved-up slots must never come out as a burst.
 *
 * The guarantee: a log of the last `maxTps` requests; none leaves while all of them fall within
 * `1000 + marginMs / 2` ms. Each is logged at its departure and again when its answer or failure
 * is in (`settle`). Why: the API stamps a request somewhere between the two, so the `maxTps`-th
 * request after it cannot reach the API within a second of that stamp, however late it went out.
 */
export class TpsRateLimiter {
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly log: MinTree;
  /** Requests let go so far; request `n` is at `log` position `n % size`. */
  private departed = 0;
  private nextDue = Number.NEGATIVE_INFINITY;
  // Callers queue on this chain so slots are handed out strictly in order.
  private tail: Promise<void> = Promise.resolve();
  /** Callers of acquire() that have not got their slot yet. */
  private waiting = 0;

  constructor(
    readonly maxTps: number,
    private readonly clock: ThaiBulkSmsClock,
    marginMs = 10,
  ) {
    this.intervalMs = maxTps > 0 ? (1000 + marginMs) / maxTps : 0;
    this.windowMs = 1000 + marginMs / 2;
    this.log = new MinTree(maxTps > 0 ? Math.max(1, Math.floor(maxTps)) : 1);
  }

  get enabled(): boolean {
    return this.maxTps > 0;
  }

  /**
   * Resolves when the caller may send, with a ticket to `settle` once the answer is in. An
   * aborted caller is refused (ThaiBulkSmsAbortedError) as soon as its signal fires, even while it
   * waits behind others, and takes no slot: its place in the queue is skipped without waiting
   * when its turn comes. With the limit off the ticket is -1 and settling it does nothing.
   */
  acquire(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(ThaiBulkSmsAbortedError.beforeSending());
    if (!this.enabled) return Promise.resolve(NO_TICKET);
    this.waiting++;
    const turn = this.tail.then(() => this.take(signal));
    const done = () => {
      this.waiting--;
    };
    this.tail = turn.then(done, done);
    if (!signal) return turn;
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => reject(ThaiBulkSmsAbortedError.beforeSending());
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(
        (ticket) => {
          signal.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the limiter's own rejection on
          reject(error);
        },
      );
    });
  }

  /**
   * A slot now, or none: the ticket when nobody is waiting and the schedule and the window both
   * let a request leave at this moment, else undefined. Never waits and never queues, so a caller
   * that can do without (a health check) never holds a send back; a slot it takes counts like any
   * other. With the limit off: NO_TICKET.
   */
  tryAcquire(): number | undefined {
    if (!this.enabled) return NO_TICKET;
    if (this.waiting > 0) return undefined;
    const now = this.clock.now();
    if (now - this.nextDue > MAX_CATCH_UP_MS) this.nextDue = now;
    if (this.waitMs(now) > 0) return undefined;
    return this.depart(now);
  }

  /**
   * The request behind `ticket` is over (answered, failed or timed out): log it at now. Never
   * moves a request back in time; a request already out of the log (`maxTps` others left since)
   * is left alone.
   */
  settle(ticket: number): void {
    if (ticket === NO_TICKET || ticket < this.departed - this.log.size || ticket >= this.departed) return;
    const position = ticket % this.log.size;
    const now = this.clock.now();
    if (now > this.log.at(position)) this.log.set(position, now);
  }

  private async take(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) throw ThaiBulkSmsAbortedError.beforeSending();
    let now = this.clock.now();
    if (now - this.nextDue > MAX_CATCH_UP_MS) this.nextDue = now;
    let wait = this.waitMs(now);
    while (wait > 0) {
      await this.clock.sleep(wait, signal);
      now = this.clock.now();
      wait = this.waitMs(now);
    }
    return this.depart(now);
  }

  private depart(now: number): number {
    this.nextDue += this.intervalMs;
    const ticket = this.departed++;
    this.log.set(ticket % this.log.size, now);
    return ticket;
  }

  private waitMs(now: number): number {
    const schedule = this.nextDue - now;
    // Once the log is full it holds the last maxTps requests: the earliest of them must have left the window.
    const window = this.departed >= this.log.size ? this.log.min() + this.windowMs - now : 0;
    return Math.max(schedule, window);
  }
}

/** The ticket of a request the limiter did not pace (limit off); settling it does nothing. */
export const NO_TICKET = -1;

/** How far behind its schedule the limiter may run and still catch up (a few requests' worth). */
const MAX_CATCH_UP_MS = 50;

/**
 * Fixed-size array of times with the smallest one at hand: settling makes the log's times
 * non-monotonic, and scanning `maxTps` entries on every departure would cost O(maxTps²) a second.
 * A binary tree of minimums over the positions: O(log size) per write, O(1) to read the minimum.
 */
class MinTree {
  private readonly leaves: number;
  private readonly tree: Float64Array;

  constructor(readonly size: number) {
    let leaves = 1;
    while (leaves < size) leaves *= 2;
    this.leaves = leaves;
    // Unused leaves hold +Infinity so they never win; used ones start at -Infinity (long ago).
    this.tree = new Float64Array(2 * leaves).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < size; i++) this.set(i, Number.NEGATIVE_INFINITY);
  }

  at(position: number): number {
    return this.tree[this.leaves + position];
  }

  set(position: number, value: number): void {
    const tree = this.tree;
    let node = this.leaves + position;
    tree[node] = value;
    for (node >>= 1; node >= 1; node >>= 1) {
      const smaller = Math.min(tree[2 * node], tree[2 * node + 1]);
      if (tree[node] === smaller) break;
      tree[node] = smaller;
    }
  }

  min(): number {
    return this.tree[1];
  }
}
