import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '@app/thai-bulk-sms/queue/thai-bulk-sms-queue.options';
import {
  describeWithRedis,
  obliterateQueue,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from '@app/thai-bulk-sms/queue/redis.test-util';
import { SandboxProcess, startSandboxProcess } from '../support/sandbox-process';
import { QueueNode, queueNodeEnv, startQueueNode } from './support/queue-node.process';
import { describeRate, rateReport, until } from './support/rate-report';
import { phoneNumber } from './support/scale-out.protocol';

const LIMIT = 120;
// 2 × 600 sends at 120/s: about 10 s, 8 whole seconds judged. The sample-app proof beside this
// one (shared-limit-app) runs 2 × 1,200.
const PER_NODE = Number(process.env.SCALE_OUT_PER_NODE ?? 600);

/** Knobs for measuring what each layer does (README, "How the account limit holds"); CI runs the defaults. */
function measurementEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.SCALE_OUT_LIMITER_WINDOW_MS) env.LIMITER_WINDOW_MS = process.env.SCALE_OUT_LIMITER_WINDOW_MS;
  if (process.env.SCALE_OUT_LIMITER_MARGIN_MS) env.LIMITER_MARGIN_MS = process.env.SCALE_OUT_LIMITER_MARGIN_MS;
  if (process.env.SCALE_OUT_ACCOUNT_RATE_GATE) env.ACCOUNT_RATE_GATE = process.env.SCALE_OUT_ACCOUNT_RATE_GATE;
  return env;
}

/**
 * Two library instances (child processes: ThaiBulkSmsModule + ThaiBulkSmsQueueModule, no HTTP)
 * share one ThaiBulkSMS account through one BullMQ queue. Each pushes its sends as fast as it can
 * and runs a worker; the sandbox, which counts requests per wall-clock second like the vendor, is
 * the judge of the account-wide limit — in a process of its own, so that pauses of this Jest
 * worker cannot stamp arrivals late (see test/support/sandbox-process.ts). Then both instances
 * enqueue the same alerts under the same dedupe keys at the same moment.
 */
describeWithRedis('scale-out: two library instances, one account (real Redis, child processes)', () => {
  const queueName = uniqueQueueName('shared');
  let sandbox: SandboxProcess;
  let nodes: QueueNode[] = [];

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ maxTps: LIMIT, credits: { standard: 1_000_000 }, historyLimit: 50_000 });
    const env = queueNodeEnv(sandbox, queueName, LIMIT, measurementEnv());
    nodes = await Promise.all([startQueueNode(env), startQueueNode(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await sandbox?.close();
    await obliterateQueue(queueName);
  }, 30_000);

  // The average rate is printed, not judged: it depends on how free the CPU is (the cap bench judges it).
  it(`keeps the account at or under ${LIMIT} requests in every second, refusing and losing nothing`, async () => {
    const started = Date.now();
    nodes.forEach((node, i) => node.send({ cmd: 'enqueue', from: i * PER_NODE, count: PER_NODE }));
    const enqueued = await Promise.all(nodes.map((node) => node.next('enqueued')));
    await until(
      async () => ((await sandbox.stats()).requests['/sms'] ?? 0) >= 2 * PER_NODE,
      60_000,
      'every send to reach the sandbox',
    );
    const report = await rateReport(sandbox);

    console.log(
      [
        `shared limit (library instances${Object.keys(measurementEnv()).length ? `, ${JSON.stringify(measurementEnv())}` : ''}): ` +
          `${report.requests} requests from 2 instances in ${((Date.now() - started) / 1000).toFixed(1)} s (enqueue took ${enqueued.map((e) => e.ms).join(' / ')} ms)`,
        ...describeRate(report, LIMIT),
        `  worker share: ${nodes.map((n) => n.completed()).join(' / ')} jobs`,
      ].join('\n'),
    );
    expect(report.windowsOverLimit).toEqual([]);
    expect(report.rejectedOverLimit).toBe(0);
    expect(report.distinctPhones).toBe(2 * PER_NODE);
    expect(report.requests).toBe(2 * PER_NODE);
  }, 90_000);

  it('sends an alert once when both instances enqueue it under the same dedupe key at the same moment', async () => {
    await sandbox.reset();
    const run = Date.now();
    const keys = Array.from({ length: 50 }, (_, i) => `incident-${run}-${i}`);
    const recipients = keys.map((_, i) => [
      phoneNumber(100_000 + 3 * i),
      phoneNumber(100_000 + 3 * i + 1),
      phoneNumber(100_000 + 3 * i + 2),
    ]);
    nodes.forEach((node) => node.send({ cmd: 'enqueue-dedupe', keys, recipients }));
    const answers = await Promise.all(nodes.map((node) => node.next('enqueued-dedupe')));
    await until(
      async () => ((await sandbox.stats()).requests['/sms'] ?? 0) >= keys.length,
      30_000,
      'the deduplicated alerts to be sent',
    );
    // Room for a second copy to show up, if one was queued: wait until nothing waits or runs.
    const queue = new Queue(queueName, { connection: redisOptionsFromUrl(testRedisUrl()), prefix: TEST_PREFIX });
    try {
      await until(
        async () =>
          Object.values(await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).every((n) => n === 0),
        10_000,
        'the queue to drain',
      );
    } finally {
      await queue.close();
    }

    const messages = await sandbox.messages();
    const requests = (await sandbox.stats()).requests['/sms'];
    const duplicatesReported = answers[0].duplicates + answers[1].duplicates;
    console.log(
      `dedupe: ${keys.length} alerts (3 numbers each) enqueued by both instances -> ${requests} requests, ` +
        `${messages.length} messages; enqueue answered duplicate ${duplicatesReported} times (${answers.map((a) => a.duplicates).join(' + ')})`,
    );
    expect(answers[0].ids).toEqual(answers[1].ids);
    expect(requests).toBe(keys.length);
    expect(messages).toHaveLength(3 * keys.length);
    expect(new Set(messages.map((m) => m.phone)).size).toBe(3 * keys.length);
    expect(duplicatesReported).toBe(keys.length);
  }, 60_000);
});
