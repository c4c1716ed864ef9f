import { ThaiBulkSmsClock } from '../client/clock';
import { FakeClock } from '../client/fake-clock.test-util';
import { ThaiBulkSmsComplianceModule } from '../compliance/thai-bulk-sms-compliance.module';
import { LinkNotRegisteredError } from '../errors';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { queueSpecModules, waitForStatus } from './queue.test-util';
import { describeWithRedis, TEST_PREFIX, testRedisUrl } from './redis.test-util';
import { SmsQueue } from './sms-queue.service';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
import { Test } from '@nestjs/testing';

const HOUR = 3_600_000;

/** The first instant from `from` whose Bangkok wall time is `hh:mm`. */
function nextBangkok(time: string, from = Date.now() + HOUR): number {
  const [h, m] = time.split(':').map(Number);
  const day = new Date(from + 7 * HOUR).toISOString().slice(0, 10);
  const today = Date.parse(`${day}T00:00:00+07:00`) + (h * 60 + m) * 60_000;
  return today >= from ? today : today + 24 * HOUR;
}

describeWithRedis('SmsQueue with the compliance policy (real Redis, sandbox)', () => {
  const specs = queueSpecModules();
  const queueOptions = (queueName: string, worker = true) => ({
    queueName,
    connection: testRedisUrl(),
    prefix: TEST_PREFIX,
    maxTps: 1000,
    worker,
  });
  const compliance = ThaiBulkSmsComplianceModule.forRoot({
    mode: 'strict',
    allowedLinkHosts: ['example.co.th'],
    optOutText: 'STOP 4000000',
  });

  /** A worker instance whose registration's clock reads `at`. */
  async function workerAt(queueName: string, at: number) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot(),
        compliance,
        ThaiBulkSmsQueueModule.forRoot(queueOptions(queueName)),
      ],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(new FakeClock(at))
      .compile();
    specs.open.push(moduleRef);
    await moduleRef.init();
    return { queue: moduleRef.get(SmsQueue), sandbox: moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX) };
  }

  it('queues a marketing alert outside the marketing hours as a job delayed to the next opening', async () => {
    const night = nextBangkok('22:00');
    const { queue, sandbox } = await workerAt(specs.name('night'), night);
    const { id } = await queue.enqueue({ to: ['0812345678'], message: 'Sale', category: 'marketing' });
    const job = (await queue.queue.getJob(`${id}/0`))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.opts.delay).toBe(nextBangkok('09:00', night) - night);
    expect(job.data.send).toMatchObject({ category: 'marketing', message: 'Sale' });
    expect((await queue.getStatus(id))?.state).toBe('queued');
    expect(requestCount(sandbox, '/sms')).toBe(0);

    // A transactional alert at the same moment goes at once.
    const now = await queue.enqueue({ to: ['0812345678'], message: 'Your parcel is here' });
    await waitForStatus(queue, now.id, (s) => s.state === 'completed');
    expect(sandbox.messages()).toHaveLength(1);
  });

  it('defers a delayMs that lands in the quiet hours to the opening after it', async () => {
    const evening = nextBangkok('20:00');
    const { queue } = await workerAt(specs.name('delay'), evening);
    const { id } = await queue.enqueue(
      { to: ['0812345678'], message: 'Sale', category: 'marketing' },
      { delayMs: 2 * HOUR },
    );
    const job = (await queue.queue.getJob(`${id}/0`))!;
    expect(job.opts.delay).toBe(nextBangkok('09:00', evening) - evening);
  });

  it('refuses at enqueue what the policy refuses, queueing nothing', async () => {
    const { queue } = await workerAt(specs.name('refuse'), nextBangkok('12:00'));
    const error = await rejectionOf(queue.enqueue({ to: ['0812345678'], message: 'see evil.com/x' }));
    expect(error).toBeInstanceOf(LinkNotRegisteredError);
    expect(await queue.queue.count()).toBe(0);
  });

  it('has a worker that finds a marketing chunk outside the hours move it to the next opening, unsent', async () => {
    const queueName = specs.name('late');
    // Queued by an instance that only enqueues (no registration, so no hours known there).
    const enqueuer = await specs.start([ThaiBulkSmsQueueModule.forRoot(queueOptions(queueName, false))]);
    const { id } = await enqueuer.get(SmsQueue).enqueue({ to: ['0812345678'], message: 'Sale', category: 'marketing' });
    const night = nextBangkok('23:00');
    const { queue, sandbox } = await workerAt(queueName, night);
    const deferred = await waitForStatus(queue, id, (s) => s.chunks.delayed === 1);
    expect(deferred.failures).toEqual([]);
    const job = (await queue.queue.getJob(`${id}/0`))!;
    // BullMQ keeps the time it moved the job to: the next opening as the worker's clock sees it.
    const expectedWait = nextBangkok('09:00', night) - night;
    expect(job.delay).toBeGreaterThan(expectedWait - 60_000);
    expect(job.delay).toBeLessThanOrEqual(expectedWait + 60_000);
    expect(requestCount(sandbox, '/sms')).toBe(0);
  });
});
