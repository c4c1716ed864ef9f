import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsClock } from '../client/clock';
import { FakeClock } from '../client/fake-clock.test-util';
import { TpsRateLimiter } from '../client/rate-limiter';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { DEFAULT_HEALTH_CACHE_TTL_MS, ThaiBulkSmsHealthIndicator } from './thai-bulk-sms.health';

describe('ThaiBulkSmsHealthIndicator', () => {
  let moduleRef: TestingModule;
  let health: ThaiBulkSmsHealthIndicator;
  let sb: ThaiBulkSmsSandbox;
  const clock = new FakeClock(1_000_000);
  const creditCalls = () => sb.stats().requests['/credit'] ?? 0;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ options: { retry: { retries: 0 } } })],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    health = moduleRef.get(ThaiBulkSmsHealthIndicator);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => {
    sb.reset();
    clock.advance(DEFAULT_HEALTH_CACHE_TTL_MS); // every test starts with the last result out of date
  });

  it('is up when the credit call answers', async () => {
    sb.setCredits({ standard: 500, corporate: 7 });
    expect(await health.isHealthy('sms')).toEqual({ sms: { status: 'up', standard: 500, corporate: 7 } });
  });

  it('is down below the minimum credit', async () => {
    sb.setCredits({ standard: 5 });
    expect((await health.isHealthy('sms', { minCredit: 10 })).sms.status).toBe('down');
    expect((await health.isHealthy('sms', { minCredit: 5 })).sms.status).toBe('up');
  });

  it('is down, with only an error name, when the API fails', async () => {
    sb.failNext('ERROR_AUTHENTICATION_FAILED', { path: '/credit' });
    expect(await health.isHealthy()).toEqual({
      thaibulksms: { status: 'down', reason: 'ERROR_AUTHENTICATION_FAILED' },
    });
  });

  it('answers a flood of checks with one /credit call per cacheTtlMs: one in flight, then the cached result', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => health.isHealthy()));
    expect(creditCalls()).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    clock.advance(DEFAULT_HEALTH_CACHE_TTL_MS - 1);
    await Promise.all(Array.from({ length: 50 }, () => health.isHealthy()));
    expect(creditCalls()).toBe(1);
    clock.advance(1);
    await health.isHealthy();
    expect(creditCalls()).toBe(2);
    // A failure is cached just as long: a vendor outage is not hammered either.
    clock.advance(DEFAULT_HEALTH_CACHE_TTL_MS);
    sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/credit' });
    await Promise.all(Array.from({ length: 50 }, () => health.isHealthy()));
    expect(creditCalls()).toBe(3);
    expect((await health.isHealthy()).thaibulksms).toEqual({ status: 'down', reason: 'ERROR_SYSTEM_FAILURE' });
  });

  it('takes cacheTtlMs per call (0: every call checks)', async () => {
    await health.isHealthy('sms', { cacheTtlMs: 0 });
    await health.isHealthy('sms', { cacheTtlMs: 0 });
    expect(creditCalls()).toBe(2);
  });
});

describe('ThaiBulkSmsHealthIndicator and the rate limiter', () => {
  /** A clock whose sleeps last until released (then time moves on): a send that must wait for the limiter stays queued. */
  class HeldClock extends FakeClock {
    private readonly held: (() => void)[] = [];
    override sleep(ms: number): Promise<void> {
      return new Promise((resolve) =>
        this.held.push(() => {
          this.advance(ms);
          resolve();
        }),
      );
    }
    release(): void {
      for (const resolve of this.held.splice(0)) resolve();
    }
  }

  it('never waits for the limiter nor takes a send’s turn: with sends queued it reports the last result, no call', async () => {
    const clock = new HeldClock(1_000_000);
    const moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ options: { retry: { retries: 0 }, maxTps: 1 } })],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    try {
      const health = moduleRef.get(ThaiBulkSmsHealthIndicator);
      const sb = moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
      const limiter = moduleRef.get(TpsRateLimiter);
      const acquire = jest.spyOn(limiter, 'acquire');

      // Idle: the check takes the free slot, without acquire().
      expect((await health.isHealthy()).thaibulksms.status).toBe('up');
      expect(sb.stats().requests['/credit']).toBe(1);
      expect(acquire).not.toHaveBeenCalled();

      // Busy: a send waits for the next slot; a check past its cache makes no call and keeps the last result.
      const sms = moduleRef.get(SmsService);
      const queued = sms.send({ to: '0812345678', message: 'queued behind the limit' });
      await new Promise((r) => setImmediate(r));
      expect(acquire).toHaveBeenCalledTimes(1);
      clock.advance(DEFAULT_HEALTH_CACHE_TTL_MS);
      const busy = await Promise.all(Array.from({ length: 20 }, () => health.isHealthy()));
      expect(busy.every((r) => r.thaibulksms.status === 'up')).toBe(true);
      expect(sb.stats().requests['/credit']).toBe(1);
      expect(acquire).toHaveBeenCalledTimes(1); // the send's own, none for health
      clock.release();
      await queued;
      expect(sb.stats().requests['/sms']).toBe(1);
    } finally {
      clock.release();
      await moduleRef.close();
    }
  });

  it('before any result, with every slot taken by sends: up, deferred', async () => {
    const clock = new HeldClock(1_000_000);
    const moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ options: { retry: { retries: 0 }, maxTps: 1 } })],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    try {
      const sms = moduleRef.get(SmsService);
      const sends = [sms.send({ to: '0812345678', message: 'a' }), sms.send({ to: '0812345678', message: 'b' })];
      await new Promise((r) => setImmediate(r));
      expect(await moduleRef.get(ThaiBulkSmsHealthIndicator).isHealthy()).toEqual({
        thaibulksms: { status: 'up', deferred: true },
      });
      clock.release();
      await Promise.all(sends);
    } finally {
      clock.release();
      await moduleRef.close();
    }
  });
});
