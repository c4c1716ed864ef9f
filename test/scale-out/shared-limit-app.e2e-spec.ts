import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '@app/thai-bulk-sms/queue/thai-bulk-sms-queue.options';
import { describeWithRedis, obliterateQueue, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { MainProcess, startMain } from '../support/main-process';
import { SandboxProcess, startSandboxProcess } from '../support/sandbox-process';
import { deleteRedisKeys } from '../support/second-instance';
import { describeRate, rateReport, until } from './support/rate-report';
import { phoneNumber } from './support/scale-out.protocol';

const LIMIT = 120;
const PER_APP = 1_200; // 2 × 1,200 alerts at 120/s: about 20 s
/** Requests each app has in flight at once (SCALE_OUT_IN_FLIGHT to try others). */
const IN_FLIGHT = Number(process.env.SCALE_OUT_IN_FLIGHT ?? 8);
const KEY = `scale-out-${randomBytes(12).toString('hex')}`;

/** One POST /alerts on a kept-alive connection; answers the status and the JSON body. */
function post(
  agent: Agent,
  url: string,
  body: object,
): Promise<{ status: number; body: { id: string; duplicate: boolean } }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/alerts`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-api-key': KEY },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * POSTs `bodies` to `url`/alerts with IN_FLIGHT requests always outstanding — as fast as the app
 * answers; answers the bodies in order, failing on any non-202. node:http with keep-alive rather
 * than fetch: the pushing client shares the machine's two cores with both apps, the sandbox and
 * Redis, and should take as little of them as it can.
 */
async function postAlerts(url: string, bodies: readonly object[]): Promise<{ id: string; duplicate: boolean }[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const answers: { id: string; duplicate: boolean }[] = new Array(bodies.length);
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const i = next++;
      const res = await post(agent, url, bodies[i]);
      if (res.status !== 202) throw new Error(`POST /alerts #${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
      answers[i] = res.body;
    }
  };
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  } finally {
    agent.destroy();
  }
  return answers;
}

/**
 * The proof, on the sample app itself: two app processes (src/main.ts, QUEUE_ENABLED=true,
 * one REDIS_URL and REDIS_PREFIX, live mode against one sandbox standing in for the vendor) and
 * this test driving POST /alerts on both as fast as it can. The sandbox runs in a process of its
 * own and is the judge: 0 one-second windows over 120, nothing refused, every number once. The
 * average rate is printed, not judged: it depends on how free the CPU is (the cap bench judges it). Then the same dedupe keys through both apps at the same moment: sent once.
 */
describeWithRedis('scale-out: two sample-app processes, one account (real Redis, POST /alerts)', () => {
  const redisUrl = testRedisUrl();
  const prefix = `t-scale-app-${process.pid}-${randomBytes(4).toString('hex')}`;
  let sandbox: SandboxProcess;
  const apps: MainProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ maxTps: LIMIT, credits: { standard: 1_000_000 }, historyLimit: 50_000 });
    const env = {
      THAIBULKSMS_SANDBOX: 'false',
      THAIBULKSMS_API_KEY: sandbox.credentials.apiKey,
      THAIBULKSMS_API_SECRET: sandbox.credentials.apiSecret,
      THAIBULKSMS_OTP_KEY: sandbox.credentials.otpKey,
      THAIBULKSMS_OTP_SECRET: sandbox.credentials.otpSecret,
      THAIBULKSMS_BASE_URL: sandbox.url,
      THAIBULKSMS_OTP_BASE_URL: sandbox.url,
      THAIBULKSMS_MAX_TPS: String(LIMIT),
      APP_API_KEYS: KEY,
      COMPLIANCE_ERASURE_KEY: 'shared-limit-erasure-key-0123456789abcdef',
      QUEUE_ENABLED: 'true',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      // One log line per queued alert: JSON keeps them cheap to write; only the start line is read.
      LOG_FORMAT: 'json',
    };
    for (let i = 0; i < 2; i++) apps.push(startMain(env));
    for (const app of apps) {
      const [, port] = await app.waitFor(/"url":"http:\/\/[^"]*?:(\d+)"/, 60_000);
      urls.push(`http://127.0.0.1:${port}`);
    }
    // Warm up: the first requests of a fresh process compile its code paths (ts-node, V8), which
    // on two shared cores starved the workers for the first seconds (measured: 46 and 46 sends in
    // the first whole seconds, 118 from then on). A deployed app is warm; the proof is about the limit.
    await Promise.all(
      urls.map((url, a) =>
        postAlerts(
          url,
          Array.from({ length: 100 }, (_, i) => ({ to: [phoneNumber(900_000 + 100 * a + i)], message: 'warm-up' })),
        ),
      ),
    );
    await until(
      async () => ((await sandbox.stats()).requests['/sms'] ?? 0) >= 200,
      30_000,
      'the warm-up alerts to be sent',
    );
    await sandbox.reset();
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) app.kill('SIGTERM');
    await Promise.all(apps.map((app) => app.exited));
    await sandbox?.close();
    await obliterateQueue('thaibulksms', redisUrl, prefix);
    await deleteRedisKeys(redisUrl, prefix);
  }, 60_000);

  it(`two apps pushing POST /alerts as fast as they can: 0 seconds over ${LIMIT}, nothing refused or lost`, async () => {
    const started = Date.now();
    const timings = await Promise.all(
      urls.map(async (url, a) => {
        const from = a * PER_APP;
        const t0 = Date.now();
        await postAlerts(
          url,
          Array.from({ length: PER_APP }, (_, i) => ({
            to: [phoneNumber(from + i)],
            message: 'scale-out via the app',
          })),
        );
        return Date.now() - t0;
      }),
    );
    await until(
      async () => ((await sandbox.stats()).requests['/sms'] ?? 0) >= 2 * PER_APP,
      90_000,
      'every alert to reach the sandbox',
    );
    const report = await rateReport(sandbox);
    console.log(
      [
        `shared limit (2 sample-app processes, POST /alerts): ${report.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(the ${2 * PER_APP} POSTs took ${timings.join(' / ')} ms)`,
        ...describeRate(report, LIMIT),
      ].join('\n'),
    );
    expect(report.windowsOverLimit).toEqual([]);
    expect(report.rejectedOverLimit).toBe(0);
    expect(report.distinctPhones).toBe(2 * PER_APP);
    expect(report.duplicates).toBe(0);
    expect(report.requests).toBe(2 * PER_APP);
  }, 150_000);

  it('the same dedupeKey POSTed to both apps at the same moment is sent once, and both answer the same id', async () => {
    await sandbox.reset();
    const run = Date.now();
    const bodies = Array.from({ length: 40 }, (_, i) => ({
      to: [phoneNumber(200_000 + 2 * i), phoneNumber(200_000 + 2 * i + 1)],
      message: `incident ${i}`,
      dedupeKey: `incident-${run}-${i}`,
    }));
    const [first, second] = await Promise.all(urls.map((url) => postAlerts(url, bodies)));
    // Room for a second copy to show up, if one was queued: wait until nothing waits or runs.
    const queue = new Queue('thaibulksms', { connection: redisOptionsFromUrl(redisUrl), prefix });
    try {
      await until(
        async () =>
          Object.values(await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).every((n) => n === 0),
        30_000,
        'the queue to drain',
      );
    } finally {
      await queue.close();
    }
    const messages = await sandbox.messages();
    const requests = (await sandbox.stats()).requests['/sms'] ?? 0;
    const duplicateAnswers = [...first, ...second].filter((a) => a.duplicate).length;
    console.log(
      `dedupe via the app: ${bodies.length} alerts (2 numbers each) POSTed to both apps -> ${requests} requests, ${messages.length} messages; ` +
        `${duplicateAnswers} answers said duplicate`,
    );
    expect(second.map((a) => a.id)).toEqual(first.map((a) => a.id));
    expect(duplicateAnswers).toBe(bodies.length);
    expect(requests).toBe(bodies.length);
    expect(messages).toHaveLength(2 * bodies.length);
    expect(new Set(messages.map((m) => m.phone)).size).toBe(2 * bodies.length);
  }, 60_000);
});
