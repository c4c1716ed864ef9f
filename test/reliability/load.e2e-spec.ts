import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import { e2eHooks, registerSecret } from '../support/e2e-capture';
import { MainProcess, startMain } from '../support/main-process';
import { printTable, writeFragment } from './support/reliability';

/**
 * Issue 6.5: the sample app under autocannon against its sandbox (loopback only), valid and
 * invalid requests mixed. Valid requests: 0 errors, 0 non-2xx, and every one answered 2xx made
 * exactly one POST /sms (none lost, none twice). Memory flat after warm-up (see memoryAfterGc and
 * the RSS checks below). No unhandled rejection in the app process (count-process-faults.js, with
 * a canary). Duration: RELIABILITY_LOAD_SECONDS — 10 by default (`npm test`, CI), 60 in
 * `npm run test:reliability`.
 *
 * The app runs as its own process (src/main.ts, as `npm start` runs it) and only that process's
 * RSS is sampled: autocannon, the sandbox and Jest share this process and would blur the figure.
 */

/** Resident set size of another process, from /proc (Linux, as on our machines and CI's). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 10);
// Warm-up lasts until V8 has sized its heaps for this load: the young generation grows under a
// high allocation rate and the first full cycle ended 13-17 s in (rssSeriesMb), with heapUsed
// flat throughout. Readings before that measure V8's sizing, not the app.
const WARMUP_SECONDS = Math.min(20, Math.max(2, Math.round(SECONDS / 2)));
/** After warm-up, a reading after a full GC this often: the series the memory checks judge. */
const GC_EVERY_SECONDS = Math.max(2, Math.min(5, Math.floor((SECONDS - WARMUP_SECONDS) / 4)));
const VALID_CONNECTIONS = 6;
const MB = 1024 * 1024;

/**
 * Memory right after a full GC in the app (test/reliability/support/gc-on-signal.js). Under load
 * RSS is a sawtooth (measured: 233 → 349 → 258 MB every ~12 s, heapUsed flat at 55 MB), so plain
 * samples measure where each landed on the tooth; after a full GC what is left is what the app
 * retains. A leak survives GC, so the after-GC series still shows it.
 */
async function memoryAfterGc(app: MainProcess, reading: number): Promise<AfterGc> {
  app.kill('SIGWINCH');
  const [, rss, heapUsed, external] = await app.waitFor(
    new RegExp(`\\[memory-after-gc\\] ${reading} rss=(\\d+) heapUsed=(\\d+) external=(\\d+)`),
    10_000,
  );
  return {
    at: Date.now(),
    rss: Number(rss),
    heapUsed: Number(heapUsed),
    retained: Number(heapUsed) + Number(external),
  };
}

interface AfterGc {
  readonly at: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** heapUsed + external after a full GC: the memory the app still holds. */
  readonly retained: number;
}

/**
 * A least-squares trend of RSS needs a window of several sawtooth periods (~12 s each) or it
 * measures one tooth: RSS trends are judged in runs with at least this much after warm-up (the
 * 60-s run of `npm run test:reliability`), and only reported in the short CI run.
 */
const TREND_WINDOW_SECONDS = 30;

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

describe(`The sample app under load for ${SECONDS} s`, () => {
  const tag = () => randomBytes(12).toString('base64url');
  // Distinctive credentials, searched for by the e2e secret scan in everything the app printed.
  const credentials = {
    apiKey: `loadApiKey-${tag()}`,
    apiSecret: `loadApiSecret-${tag()}`,
    otpKey: `loadOtpKey-${tag()}`,
    otpSecret: `loadOtpSecret-${tag()}`,
  };
  const KEY = `loadAppKey-${tag()}`;
  let app: MainProcess;
  let url: string;
  let sandbox: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    registerSecret('THAIBULKSMS_API_KEY', credentials.apiKey);
    registerSecret('THAIBULKSMS_API_SECRET', credentials.apiSecret);
    registerSecret('THAIBULKSMS_OTP_KEY', credentials.otpKey);
    registerSecret('THAIBULKSMS_OTP_SECRET', credentials.otpSecret);
    registerSecret(
      'Basic auth header',
      Buffer.from(`${credentials.apiKey}:${credentials.apiSecret}`).toString('base64'),
    );
    registerSecret('APP_API_KEYS #1', KEY);
    // A sandbox of its own with a short history, so the RSS measured is the app's, not the
    // sandbox's bounded history filling up; no rate limit, credits enough for any run.
    sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      maxTps: 0,
      historyLimit: 200,
      credits: { standard: 1_000_000_000, corporate: 1_000_000_000 },
      ...credentials,
    });
    app = startMain(
      {
        THAIBULKSMS_SANDBOX: 'false',
        THAIBULKSMS_API_KEY: credentials.apiKey,
        THAIBULKSMS_API_SECRET: credentials.apiSecret,
        THAIBULKSMS_OTP_KEY: credentials.otpKey,
        THAIBULKSMS_OTP_SECRET: credentials.otpSecret,
        THAIBULKSMS_BASE_URL: sandbox.url,
        THAIBULKSMS_OTP_BASE_URL: sandbox.url,
        THAIBULKSMS_MAX_TPS: '0',
        APP_API_KEYS: KEY,
        COMPLIANCE_ERASURE_KEY: 'load-erasure-key-0123456789abcdefghijkl',
        // One line per send at info level would only measure the pipe to this process.
        LOG_FORMAT: 'json',
        NODE_ENV: 'production',
        RELIABILITY_FAULT_CANARY: '1',
      },
      [
        '--expose-gc',
        '-r',
        require.resolve('./support/gc-on-signal.js'),
        '-r',
        require.resolve('./support/count-process-faults.js'),
      ],
    );
    const [, port] = await app.waitFor(/"url":"http:\/\/[^"]*?:(\d+)"/, 60_000);
    url = `http://127.0.0.1:${port}`;
  }, 90_000);
  afterAll(async () => {
    app?.kill('SIGTERM');
    await app?.exited;
    // Everything the app process printed goes to the e2e secret scan (logs only masked phones).
    e2eHooks()?.record({ k: 'stdout', text: app?.stdout() ?? '' });
    e2eHooks()?.record({ k: 'stderr', text: app?.stderr() ?? '' });
    await sandbox?.close();
  });

  it(
    'answers every valid request 2xx with exactly one send each, every invalid one 4xx, with flat memory and no unhandled rejection',
    async () => {
      const headers = { 'content-type': 'application/json', 'x-api-key': KEY };
      // Each valid request makes exactly one POST /sms (one number; three numbers of which one is
      // invalid; an alert of two numbers = one chunk): the sandbox's count must match the 2xx count.
      const valid = [
        { method: 'POST' as const, path: '/sms', headers, body: JSON.stringify({ to: '0812345678', message: 'load' }) },
        {
          method: 'POST' as const,
          path: '/sms',
          headers,
          body: JSON.stringify({ to: ['0812345678', '0898765432', '0123'], message: 'สวัสดี load', sender: 'Demo' }),
        },
        {
          method: 'POST' as const,
          path: '/alerts',
          headers,
          body: JSON.stringify({ to: ['0812345670', '0812345671'], message: 'alert' }),
        },
      ];
      const invalid = [
        { method: 'POST' as const, path: '/sms', headers, body: JSON.stringify({ to: '0812345678' }) },
        { method: 'POST' as const, path: '/sms', headers, body: JSON.stringify({ to: 'abc', message: 'x' }) },
        { method: 'POST' as const, path: '/sms', headers, body: '{"to":' },
        { method: 'POST' as const, path: '/alerts', headers, body: JSON.stringify({ to: [], message: 'x' }) },
        {
          method: 'POST' as const,
          path: '/sms',
          headers: { ...headers, 'x-api-key': 'wrong' },
          body: JSON.stringify({ to: '0812345678', message: 'x' }),
        },
        { method: 'POST' as const, path: '/otp/verify', headers, body: JSON.stringify({ token: 'nope', pin: 'x' }) },
      ];
      const rss: { second: number; rss: number }[] = [];
      const started = Date.now();
      const sampler = setInterval(
        () => rss.push({ second: (Date.now() - started) / 1000, rss: rssOf(app.child.pid!) }),
        1000,
      );
      const run = (requests: typeof valid, connections: number) =>
        autocannon({ url, connections, duration: SECONDS, requests, timeout: 10 });
      let validResult: autocannon.Result;
      let invalidResult: autocannon.Result;
      const afterGc: AfterGc[] = [];
      try {
        const load = Promise.all([run(valid, VALID_CONNECTIONS), run(invalid, 4)]);
        let finished = false;
        void load.finally(() => (finished = true));
        await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
        // The after-GC series, while the load goes on (real time: the issue asks for a timed run).
        afterGc.push(await memoryAfterGc(app, 1));
        while (!finished && Date.now() - started < (SECONDS - GC_EVERY_SECONDS / 2) * 1000) {
          await Promise.race([new Promise((resolve) => setTimeout(resolve, GC_EVERY_SECONDS * 1000)), load]);
          if (!finished) afterGc.push(await memoryAfterGc(app, afterGc.length + 1));
        }
        [validResult, invalidResult] = await load;
        afterGc.push(await memoryAfterGc(app, afterGc.length + 1));
      } finally {
        clearInterval(sampler);
      }

      // Sends still in flight when autocannon stopped (at most one per valid connection) may reach
      // the sandbox after their answer was dropped: wait until its count is still, then compare.
      let smsRequests = sandbox.stats().requests['/sms'] ?? 0;
      for (let still = 0, i = 0; still < 3 && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = sandbox.stats().requests['/sms'] ?? 0;
        still = now === smsRequests ? still + 1 : 0;
        smsRequests = now;
      }
      const valid2xx = validResult['2xx'];
      // Requests autocannon sent but never saw answered: cut off by the end of the run.
      const validUnanswered =
        validResult.requests.sent -
        (validResult['1xx'] + valid2xx + validResult['3xx'] + validResult['4xx'] + validResult['5xx']) -
        validResult.errors -
        validResult.timeouts;

      const validErrors = validResult.errors + validResult.timeouts + validResult.non2xx;
      const invalidNot4xx = invalidResult.requests.total - invalidResult['4xx'];
      const warm = afterGc[0];
      const end = afterGc[afterGc.length - 1];
      const growth = end.rss / warm.rss - 1;
      // After-GC series: trend (least squares, MB per minute) and spread, both against warm-up RSS.
      const gcSlopeMbPerMin = slope(afterGc.map((r) => ({ x: (r.at - warm.at) / 60_000, y: r.rss / MB })));
      const postWarmupMinutes = (end.at - warm.at) / 60_000;
      const gcProjectedGrowth = (gcSlopeMbPerMin * postWarmupMinutes) / (warm.rss / MB);
      // Spread of what the app retains after GC (heap + external), against warm-up: a leak of JS
      // objects or Buffers grows it; V8 and the allocator handing pages back do not touch it. RSS
      // after GC is not flat enough for a spread (measured 282 267 235 203 209 233 MB with heapUsed
      // 54-56 MB throughout: pages given back lazily), so for RSS the spread is only reported.
      const retainedSpread =
        (Math.max(...afterGc.map((r) => r.retained)) - Math.min(...afterGc.map((r) => r.retained))) / warm.retained;
      const gcRssSpread = (Math.max(...afterGc.map((r) => r.rss)) - Math.min(...afterGc.map((r) => r.rss))) / warm.rss;
      // Raw per-second samples after warm-up (sawtooth included): their least-squares trend.
      const rawAfter = rss.filter((r) => r.second >= WARMUP_SECONDS);
      const rawSlopeMbPerMin = slope(rawAfter.map((r) => ({ x: r.second / 60, y: r.rss / MB })));
      const rawProjectedGrowth = (rawSlopeMbPerMin * ((SECONDS - WARMUP_SECONDS) / 60)) / (warm.rss / MB);
      const faultLines = app
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('[process-fault]'));
      const canaries = faultLines.filter((l) => l.includes('(canary)')).length;
      const appFaults = faultLines.filter((l) => !l.includes('(canary)'));

      const mb = (n: number) => +(n / MB).toFixed(1);
      const pct = (x: number) => +(x * 100).toFixed(1);
      const figures = {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        validRequests: validResult.requests.total,
        validErrors,
        validBreakdown: `errors ${validResult.errors} timeouts ${validResult.timeouts} non2xx ${validResult.non2xx} codes ${JSON.stringify(validResult.statusCodeStats)}`,
        validRps: Math.round(validResult.requests.average),
        validP99Ms: validResult.latency.p99,
        invalidRequests: invalidResult.requests.total,
        invalidNot4xx,
        fiveXx: validResult['5xx'] + invalidResult['5xx'],
        valid2xx,
        validUnansweredAtEnd: validUnanswered,
        sandboxSmsRequests: smsRequests,
        // > 0: a 2xx without a send (lost) — < 0 beyond the cut-off ones: a send made twice.
        sendsLost: Math.max(0, valid2xx - smsRequests),
        sendsDuplicated: Math.max(0, smsRequests - valid2xx - validUnanswered),
        rssAfterWarmupMb: mb(warm.rss),
        rssAtEndMb: mb(end.rss),
        heapUsedAfterWarmupMb: mb(warm.heapUsed),
        heapUsedAtEndMb: mb(end.heapUsed),
        rssGrowthPct: pct(growth),
        afterGcReadings: afterGc.length,
        afterGcSeriesMb: afterGc.map((r) => Math.round(r.rss / MB)).join(' '),
        afterGcSlopeMbPerMin: +gcSlopeMbPerMin.toFixed(1),
        afterGcProjectedGrowthPct: pct(gcProjectedGrowth),
        afterGcRssSpreadPct: pct(gcRssSpread),
        retainedAfterWarmupMb: mb(warm.retained),
        retainedSeriesMb: afterGc.map((r) => mb(r.retained)).join(' '),
        retainedSpreadPct: pct(retainedSpread),
        rssTrendsJudged: SECONDS - WARMUP_SECONDS >= TREND_WINDOW_SECONDS,
        rawSlopeMbPerMin: +rawSlopeMbPerMin.toFixed(1),
        rawProjectedGrowthPct: pct(rawProjectedGrowth),
        rssPeakMb: mb(Math.max(...rss.map((r) => r.rss))),
        rssSeriesMb: rss.map((r) => Math.round(r.rss / MB)).join(' '),
        unhandledRejections: appFaults.filter((l) => l.startsWith('[process-fault] unhandledRejection')).length,
        uncaughtExceptions: appFaults.filter((l) => l.startsWith('[process-fault] uncaughtException')).length,
        unhandledCanarySeen: canaries,
        processFaults: appFaults,
      };
      printTable(
        `Load: ${SECONDS} s of autocannon (warm-up ${WARMUP_SECONDS} s, a reading after GC every ${GC_EVERY_SECONDS} s)`,
        Object.entries(figures),
        ['figure', 'value'],
      );
      writeFragment('load', figures);
      expect(validResult.requests.total).toBeGreaterThan(0);
      expect(validErrors).toBe(0);
      expect(invalidNot4xx).toBe(0);
      // None lost, none twice: every 2xx made its one send; beyond those only the cut-off ones may have.
      expect(validUnanswered).toBeGreaterThanOrEqual(0);
      expect(validUnanswered).toBeLessThanOrEqual(VALID_CONNECTIONS);
      expect(smsRequests).toBeGreaterThanOrEqual(valid2xx);
      expect(smsRequests).toBeLessThanOrEqual(valid2xx + validUnanswered);
      // Memory: RSS at the end against warm-up (both after GC) and the spread of retained memory
      // over the after-GC series, each under 10% of warm-up; with a long enough window, the RSS
      // trends (after-GC readings and raw per-second samples, least squares) projected over the run.
      expect(afterGc.length).toBeGreaterThanOrEqual(3);
      expect(growth).toBeLessThan(0.1);
      expect(retainedSpread).toBeLessThan(0.1);
      if (SECONDS - WARMUP_SECONDS >= TREND_WINDOW_SECONDS) {
        expect(gcProjectedGrowth).toBeLessThan(0.1);
        expect(rawProjectedGrowth).toBeLessThan(0.1);
      }
      // The app process's own count works (one canary) and saw nothing else.
      expect(canaries).toBe(1);
      expect(appFaults).toEqual([]);
    },
    (SECONDS + 60) * 1000,
  );
});
