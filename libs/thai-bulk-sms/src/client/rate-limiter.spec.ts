import { ThaiBulkSmsAbortedError } from '../errors';
import { ThaiBulkSmsClock } from './clock';
import { FakeClock } from './fake-clock.test-util';
import { TpsRateLimiter } from './rate-limiter';

/** Departures per fixed one-second window, and the most in any sliding one-second window. */
function windows(times: number[]): { fixedMax: number; slidingMax: number } {
  const perSecond = new Map<number, number>();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  let slidingMax = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    slidingMax = Math.max(slidingMax, i - j + 1);
  }
  return { fixedMax: Math.max(...perSecond.values()), slidingMax };
}

/** 2,400 acquisitions at 120 TPS on `clock`: the busiest windows and the average rate. */
async function acquireAt120(clock: FakeClock): Promise<{ fixedMax: number; slidingMax: number; averageTps: number }> {
  const limiter = new TpsRateLimiter(120, clock);
  const times: number[] = [];
  await Promise.all(Array.from({ length: 2400 }, () => limiter.acquire().then(() => times.push(clock.now()))));
  const averageTps = (times.length - 1) / ((times[times.length - 1] - times[0]) / 1000);
  return { ...windows(times), averageTps };
}

describe('TpsRateLimiter', () => {
  it('keeps 2,400 requests at 120 TPS within every one-second window and near the limit on average', async () => {
    const { fixedMax, slidingMax, averageTps } = await acquireAt120(new FakeClock(1_000_000));
    expect(slidingMax).toBeLessThanOrEqual(120);
    expect(fixedMax).toBeLessThanOrEqual(120);
    expect(averageTps).toBeGreaterThanOrEqual(0.98 * 120);
    expect(averageTps).toBeLessThanOrEqual(120);
  });

  it('keeps near the limit when every timer fires late, without leaving any window over it', async () => {
    // Real timers wake a millisecond or more after the 8.33 ms asked for.
    class LateClock extends FakeClock {
      override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        await super.sleep(ms > 0 ? ms + 1.5 : ms, signal);
      }
    }
    const clock = new LateClock(1_000_000);
    const { fixedMax, slidingMax, averageTps } = await acquireAt120(clock);
    expect(slidingMax).toBeLessThanOrEqual(120);
    expect(fixedMax).toBeLessThanOrEqual(120);
    expect(averageTps).toBeGreaterThanOrEqual(0.98 * 120);
  });

  it('holds the rate when wake-ups are irregularly late (2 ms, and 12 ms every 7th), as on a busy event loop', async () => {
    // The previous design anchored on late wake-ups at every window wrap and fell to 99.5 TPS here.
    let wakeUps = 0;
    class IrregularClock extends FakeClock {
      override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        await super.sleep(ms, signal);
        this.advance(wakeUps++ % 7 === 0 ? 12 : 2);
      }
    }
    const clock = new IrregularClock(1_000_000);
    const { fixedMax, slidingMax, averageTps } = await acquireAt120(clock);
    expect(slidingMax).toBeLessThanOrEqual(120);
    expect(fixedMax).toBeLessThanOrEqual(120);
    expect(averageTps).toBeGreaterThanOrEqual(0.98 * 120);
  });

  it('spaces requests (1000 + margin)/maxTps apart rather than bursting', async () => {
    const clock = new FakeClock();
    const limiter = new TpsRateLimiter(10, clock, 0);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire();
      times.push(clock.now());
    }
    expect(times).toEqual([0, 100, 200, 300, 400]);
    const withMargin = new TpsRateLimiter(10, clock, 10);
    const start = clock.now();
    for (let i = 0; i < 3; i++) await withMargin.acquire();
    expect(clock.now() - start).toBe(202);
  });

  it('catches up after a late wake-up instead of pushing every later request back', async () => {
    const clock = new FakeClock();
    const limiter = new TpsRateLimiter(10, clock, 0);
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await limiter.acquire();
      times.push(clock.now());
      if (i === 1) clock.advance(130); // the event loop was busy: 30 ms past the next slot
    }
    expect(times).toEqual([0, 100, 230, 300, 400, 500]);
  });

  it('still respects the window when a late wake-up would let requests bunch', async () => {
    const clock = new FakeClock();
    const limiter = new TpsRateLimiter(4, clock, 10);
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      await limiter.acquire();
      times.push(clock.now());
      if (i % 3 === 0) clock.advance(37); // the event loop was busy
    }
    expect(windows(times).slidingMax).toBeLessThanOrEqual(4);
  });

  it('counts a request from its answer once settled, so a late answer holds the window longer', async () => {
    const settledAt = async (settle: boolean) => {
      const clock = new FakeClock();
      const limiter = new TpsRateLimiter(2, clock, 0);
      const first = await limiter.acquire(); // leaves at 0
      const second = await limiter.acquire(); // leaves at 500
      clock.advance(200);
      if (settle) limiter.settle(first); // answered at 700: the API stamped it at 700 at the latest
      clock.advance(50);
      if (settle) limiter.settle(second); // answered at 750
      await limiter.acquire();
      return clock.now();
    };
    expect(await settledAt(false)).toBe(1000);
    expect(await settledAt(true)).toBe(1700);
  });

  it('ignores the ticket of a request maxTps others have left after, and tickets of a limit that is off', async () => {
    const clock = new FakeClock();
    const limiter = new TpsRateLimiter(2, clock, 0);
    const stale = await limiter.acquire(); // 0
    const second = await limiter.acquire(); // 500
    await limiter.acquire(); // 1000: takes the stale request's place in the log
    clock.advance(100);
    limiter.settle(second); // 1100
    clock.advance(300);
    limiter.settle(stale); // 1400: would overwrite the third request's 1000 if it were applied
    await limiter.acquire();
    expect(clock.now()).toBe(2000);
    const off = new TpsRateLimiter(0, clock);
    const ticket = await off.acquire();
    expect(() => off.settle(ticket)).not.toThrow();
  });

  it('never lets a request leave while its maxTps predecessors all count within the window, with settles in any order', async () => {
    // A seeded walk: answers come back late and out of order, time jumps between calls.
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const maxTps = 5;
    const clock = new FakeClock(10_000);
    const limiter = new TpsRateLimiter(maxTps, clock, 0);
    const counted: number[] = []; // each request's time as the limiter should count it
    const departed: number[] = [];
    let waitedOnAnswers = 0;
    for (let j = 0; j < 300; j++) {
      const predecessors = counted.slice(-maxTps);
      const earliest = predecessors.length === maxTps ? Math.min(...predecessors) : Number.NEGATIVE_INFINITY;
      const ticket = await limiter.acquire();
      expect(ticket).toBe(j);
      expect(clock.now()).toBeGreaterThanOrEqual(earliest + 1000);
      if (clock.now() === earliest + 1000 && earliest > Math.min(...departed.slice(-maxTps))) waitedOnAnswers++;
      counted.push(clock.now());
      departed.push(clock.now());
      clock.advance(Math.floor(random() * 150));
      const answered = j - Math.floor(random() * maxTps);
      if (answered >= 0 && answered > j - maxTps) {
        limiter.settle(answered);
        counted[answered] = Math.max(counted[answered], clock.now());
      }
    }
    // The walk did make the limiter wait for a settled (later) time, not only for departures.
    expect(waitedOnAnswers).toBeGreaterThan(10);
  });

  it('does nothing when maxTps is 0', async () => {
    const clock = new FakeClock();
    const limiter = new TpsRateLimiter(0, clock);
    for (let i = 0; i < 1000; i++) await limiter.acquire();
    expect(clock.now()).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('refuses an aborted caller without taking a slot', async () => {
    const clock = new FakeClock();
    const limiter = new TpsRateLimiter(1, clock);
    await limiter.acquire();
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({
      constructor: ThaiBulkSmsAbortedError,
      requestMayHaveArrived: false,
    });
    await limiter.acquire();
    expect(clock.now()).toBe(1010);
  });
});

/** A clock whose sleeps wait until the test moves time past them. */
class ManualClock extends ThaiBulkSmsClock {
  private time = 0;
  private sleepers: { until: number; resolve: () => void }[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ThaiBulkSmsAbortedError());
    return new Promise((resolve, reject) => {
      const entry = { until: this.time + ms, resolve };
      this.sleepers.push(entry);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
        reject(new ThaiBulkSmsAbortedError());
      });
    });
  }
  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const s of this.sleepers.filter((x) => x.until <= this.time)) s.resolve();
    this.sleepers = this.sleepers.filter((x) => x.until > this.time);
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}

describe('TpsRateLimiter: an aborted caller waiting in the queue', () => {
  it('is refused as soon as its signal fires, not when its turn comes, and leaves the queue', async () => {
    const clock = new ManualClock();
    const limiter = new TpsRateLimiter(1, clock, 0);
    await limiter.acquire(); // t=0: takes the only slot of this second
    const order: string[] = [];
    const first = limiter.acquire().then(() => order.push(`first@${clock.now()}`));
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal).then(
      () => order.push('aborted-one got a slot'),
      (e: unknown) => order.push(`refused@${clock.now()}:${(e as Error).constructor.name}`),
    );
    const third = limiter.acquire().then(() => order.push(`third@${clock.now()}`));
    await clock.advance(0);
    controller.abort();
    await clock.advance(0);
    // Refused at once, while `first` is still waiting for its turn.
    expect(order).toEqual(['refused@0:ThaiBulkSmsAbortedError']);
    await clock.advance(1000);
    await clock.advance(1000);
    await Promise.all([first, aborted, third]);
    // It took no slot: the caller behind it left one second after `first`.
    expect(order).toEqual(['refused@0:ThaiBulkSmsAbortedError', 'first@1000', 'third@2000']);
  });

  describe('tryAcquire (a caller that must never wait, such as a health check)', () => {
    it('takes a slot only when one is free right now, and never queues', async () => {
      const clock = new FakeClock(1_000_000);
      const limiter = new TpsRateLimiter(2, clock);
      expect(limiter.tryAcquire()).toBe(0);
      // The next slot is (1000 + 10) / 2 ms away: no waiting, no slot.
      expect(limiter.tryAcquire()).toBeUndefined();
      expect(clock.sleeps).toEqual([]);
      clock.advance(505);
      expect(limiter.tryAcquire()).toBe(1);
    });

    it('counts its slots like any other: the window holds with tryAcquire and acquire mixed', async () => {
      const clock = new FakeClock(1_000_000);
      const limiter = new TpsRateLimiter(10, clock);
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        if (i % 3 === 0 && limiter.tryAcquire() !== undefined) times.push(clock.now());
        await limiter.acquire();
        times.push(clock.now());
      }
      expect(windows(times).slidingMax).toBeLessThanOrEqual(10);
    });

    it('never jumps the queue: while a caller waits, it gets nothing', async () => {
      let release: () => void = () => undefined;
      class HeldClock extends FakeClock {
        override sleep(): Promise<void> {
          return new Promise((resolve) => (release = resolve));
        }
      }
      const held = new HeldClock(1_000_000);
      const limiter = new TpsRateLimiter(1, held);
      await limiter.acquire();
      const waiting = limiter.acquire(); // sleeps until released
      await Promise.resolve();
      held.advance(5_000); // its slot is due, but it is still asleep
      expect(limiter.tryAcquire()).toBeUndefined();
      release();
      await waiting;
    });

    it('answers NO_TICKET when the limit is off', () => {
      expect(new TpsRateLimiter(0, new FakeClock()).tryAcquire()).toBe(-1);
    });
  });
});
