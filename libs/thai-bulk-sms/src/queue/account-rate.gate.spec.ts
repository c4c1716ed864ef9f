import Redis from 'ioredis';
import { AccountRateGate } from './account-rate.gate';
import { describeWithRedis, testRedisUrl, uniqueQueueName } from './redis.test-util';
import { redisOptionsFromUrl } from './thai-bulk-sms-queue.options';

/** The gates' safety margin per window, in ms. */
const GATE_MARGIN_MS = 20;

/** The most of `times` (ms) inside any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * The send-time gate against real Redis (its clock is Redis' TIME, so real time): two gates,
 * standing for two instances, share one log. Kept to about a second: 50 per second, 70 sends.
 */
describeWithRedis('AccountRateGate (real Redis, two gates sharing one log)', () => {
  // Opened in beforeAll: a describe body also runs when the suite is skipped, and then nothing closes it.
  let redis: Redis;
  const base = `tbs-gate:${uniqueQueueName('gate')}`;
  const keys = { log: `${base}:account-rate`, meta: `${base}:meta` };
  const gates = (fallbackTps: number) =>
    [0, 1].map(() => new AccountRateGate(async () => redis, keys.log, keys.meta, fallbackTps, GATE_MARGIN_MS));

  beforeAll(() => {
    redis = new Redis(redisOptionsFromUrl(testRedisUrl()));
  });
  afterEach(async () => {
    await redis.del(keys.log, `${keys.log}:next`, keys.meta);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it("takes the rate from the queue's global rate limit, not from its own fallback: at most 50 leave in any second", async () => {
    await redis.hset(keys.meta, 'max', 50, 'duration', 1000); // what setGlobalRateLimit(50, 1000) writes
    const [a, b] = gates(1000);
    const left: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 70 }, (_, i) => (i % 2 ? a : b).acquire().then(() => left.push(performance.now()))),
    );
    // The gate spaces grants in Redis' time, 1000 + 20 ms apart; the spec sees each grant one
    // reply later, and a busy runner can see the first of a burst late. A window shorter by the
    // gate's margin judges the spacing, not the runner's lag (the fallback would put all 70 in ~70 ms).
    expect(busiestWindow(left, 1000 - GATE_MARGIN_MS)).toBeLessThanOrEqual(50);
    // The 51st may leave only once the first has been out for 1000 + 20 ms (at the fallback's 1000/s all 70 would take 70 ms).
    expect(Math.max(...left) - started).toBeGreaterThanOrEqual(1000);
    expect(await redis.zcard(keys.log)).toBe(50);
  });

  it('with no global rate limit in Redis (removed by an operator), falls back to the instance’s maxTps', async () => {
    const [a, b] = gates(200);
    const left: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).acquire().then(() => left.push(performance.now()))),
    );
    // Paced 1020 / 200 = 5.1 ms apart: about 200 ms for 40, far from a 50-per-second limit's second.
    expect(Math.max(...left) - started).toBeGreaterThanOrEqual(150);
    expect(Math.max(...left) - started).toBeLessThan(900);
  });

  it('counts a request at the time its answer came in once settled, so a request that went out late holds the window longer', async () => {
    await redis.hset(keys.meta, 'max', 3, 'duration', 1000);
    const [a] = gates(1000);
    const started = performance.now();
    // Paced 1020 / 3 = 340 ms apart (0, 340, 680); the first request "answers" at 1000 ms (the API
    // may have stamped it that late), the others at once.
    const first = await a.acquire();
    const firstSettled = new Promise((r) => setTimeout(r, 1000)).then(() => first.settle());
    await Promise.all(Array.from({ length: 2 }, () => a.acquire().then((p) => p.settle())));
    await firstSettled;
    await a.acquire();
    const fourth = performance.now() - started;
    // Counted at departure only, the fourth would leave at 1020 ms (the first's departure + 1020);
    // with the first counted at 1000, the three latest are at 340, 680 and 1000: it leaves at 1360.
    expect(fourth).toBeGreaterThanOrEqual(1340);
    expect(fourth).toBeLessThan(1650);
  });

  it('a settle never moves a request back in time, and ignores one already dropped from the count', async () => {
    await redis.hset(keys.meta, 'max', 2, 'duration', 1000);
    const [a] = gates(1000);
    const first = await a.acquire();
    await first.settle();
    const settledAt = Number(await redis.zscore(keys.log, (await redis.zrange(keys.log, 0, 0))[0]));
    await a.acquire();
    await a.acquire(); // waits about a second, then drops the first request from the count
    expect(await redis.zcard(keys.log)).toBe(2);
    await first.settle();
    expect(await redis.zcard(keys.log)).toBe(2);
    expect(
      Math.min(...(await redis.zrange(keys.log, 0, -1, 'WITHSCORES')).filter((_, i) => i % 2).map(Number)),
    ).toBeGreaterThan(settledAt);
  });
});
