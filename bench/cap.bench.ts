/**
 * Goal 1, cap use: with the provider's 120 requests per second (client `maxTps` 120, the sandbox
 * enforcing 120 and recording every one-second window above it), a bulk send of 500-number
 * chunks sustains >= 0.98 x 120 requests per second for 20 s, and the sandbox records 0 windows
 * over the limit and refuses nothing.
 *
 * Every figure comes from the sandbox's own record (its process, its clock): the arrival time of
 * each POST /sms in its request log gives the counts per wall-clock second (the seconds its TPS
 * windows count; the first and last, partial, left out) and so the sustained rate; its `stats()`
 * gives the windows over the limit and the refusals. The same-run baseline is the limiter alone: `TpsRateLimiter(120)` with the system
 * clock, the same number of callers, no HTTP, in this process, for the same duration. The ratio
 * HTTP / limiter alone shows what the HTTP exchanges cost the rate; the limiter's own ceiling is
 * 120 / 1.010 s = 118.8 req/s (its 10 ms safety margin per window). Runs alternate ABBA.
 *
 *   node bench/run-all.js cap
 *
 * BENCH_CAP_RUNS (default 3 of each), BENCH_CAP_SECONDS (default 20 per run).
 */
import { DEFAULT_MAX_CONCURRENCY } from '../libs/thai-bulk-sms/src/thai-bulk-sms.constants';
import { SystemClock } from '../libs/thai-bulk-sms/src/client/clock';
import { TpsRateLimiter } from '../libs/thai-bulk-sms/src/client/rate-limiter';
import { createLibrary, fmt, GoalReport, LibraryUnderTest, log, median, runMain } from './lib/bench.util';
import { BenchServer, startBenchServer } from './lib/sandbox-bench.util';

const CAP_TPS = 120;
const GOAL_SHARE = 0.98;

interface HttpRun {
  /** Mean arrivals per whole wall-clock second of the run (sandbox clock), first and last partial seconds left out. */
  readonly rate: number;
  /** Arrivals in each of those seconds, as the sandbox counts them for its TPS windows. */
  readonly perSecond: number[];
  /** Most arrivals in any sliding 1000 ms window (sandbox clock, ms resolution); informational. */
  readonly slidingMax: number;
  readonly windowsOver: number;
  readonly worstWindow: number;
  readonly refused: number;
  readonly arrived: number;
  readonly sent: number;
  readonly failedChunks: number;
}

/** Arrivals per wall-clock second (`Math.floor(t / 1000)`, as the sandbox's RateWindow counts), whole seconds only. */
function wholeSeconds(times: readonly number[]): number[] {
  if (times.length === 0) return [];
  const first = Math.floor(times[0] / 1000) + 1;
  const last = Math.floor(times[times.length - 1] / 1000) - 1;
  const counts = new Array<number>(Math.max(0, last - first + 1)).fill(0);
  for (const t of times) {
    const s = Math.floor(t / 1000) - first;
    if (s >= 0 && s < counts.length) counts[s]++;
  }
  return counts;
}

/** Acquisitions per second from the first one, over `seconds` whole seconds (the limiter-alone baseline). */
function perSecondFrom(times: readonly number[], seconds: number): number[] {
  const counts = new Array<number>(seconds).fill(0);
  const t0 = times[0];
  for (const t of times) {
    const s = Math.floor((t - t0) / 1000);
    if (s < seconds) counts[s]++;
  }
  return counts;
}

function slidingMax(times: readonly number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** The send as an app makes it: sendBulk over the sandbox, recipients until the time is up. */
async function httpRun(server: BenchServer, library: LibraryUnderTest, seconds: number): Promise<HttpRun> {
  await server.reset();
  const deadline = performance.now() + seconds * 1000;
  async function* recipients(): AsyncGenerator<string> {
    for (let i = 0; performance.now() < deadline; i++) yield `08${String(i % 100_000_000).padStart(8, '0')}`;
  }
  const result = await library.sms.sendBulk({
    to: recipients(),
    message: 'Sale today',
    sender: 'SMS.',
    summaryOnly: true,
  });
  const [arrivals, stats] = await Promise.all([server.arrivals('/sms'), server.stats()]);
  const perSecond = wholeSeconds(arrivals);
  return {
    rate: mean(perSecond),
    perSecond,
    slidingMax: slidingMax(arrivals, 1000),
    windowsOver: stats.windowsOverLimit.length,
    worstWindow: stats.windowsOverLimit.reduce((max, w) => Math.max(max, w.count), 0),
    refused: stats.rejectedOverLimit,
    arrived: stats.requests['/sms'] ?? 0,
    sent: result.chunks,
    failedChunks: result.failedChunks.length,
  };
}

/** The baseline: the same limiter class and settings, the same callers, no HTTP. */
async function limiterRun(seconds: number): Promise<{ rate: number; perSecond: number[] }> {
  const limiter = new TpsRateLimiter(CAP_TPS, new SystemClock());
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline) {
      await limiter.acquire();
      times.push(performance.now());
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_MAX_CONCURRENCY }, caller));
  const perSecond = perSecondFrom(times, seconds);
  return { rate: mean(perSecond), perSecond };
}

export async function runCapBench(): Promise<GoalReport[]> {
  const seconds = Number(process.env.BENCH_CAP_SECONDS ?? 20);
  const runs = Number(process.env.BENCH_CAP_RUNS ?? 3);
  // The request log must hold every request of one run (it is read after each run, then reset).
  const historyLimit = Math.max(10_000, Math.ceil(seconds * CAP_TPS * 1.5));
  const server = await startBenchServer('sandbox', { maxTps: CAP_TPS, credits: { standard: 1e12 }, historyLimit });
  const library = await createLibrary(server.url, { maxTps: CAP_TPS });
  const http: HttpRun[] = [];
  const alone: number[] = [];
  try {
    // Warm-up (JIT, sockets), not counted.
    await httpRun(server, library, 1);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (['limiter', 'http'] as const) : (['http', 'limiter'] as const);
      for (const kind of order) {
        if (kind === 'limiter') {
          const r = await limiterRun(seconds);
          alone.push(r.rate);
          log(`run ${i + 1} limiter alone: ${r.rate.toFixed(1)} acquisitions/s; per second: ${r.perSecond.join(' ')}`);
        } else {
          const r = await httpRun(server, library, seconds);
          http.push(r);
          log(
            `run ${i + 1} sendBulk over HTTP: ${r.rate.toFixed(1)} req/s by the sandbox's record (${r.sent} sent, ${r.arrived} arrived, ${r.failedChunks} failed chunks); ` +
              `${r.windowsOver} windows over ${CAP_TPS}, ${r.refused} refused, busiest sliding 1 s ${r.slidingMax}`,
          );
          log(`      arrivals per wall-clock second (whole seconds): ${r.perSecond.join(' ')}`);
        }
      }
    }
  } finally {
    await library.close();
    await server.stop();
  }
  const rates = http.map((r) => r.rate);
  const ratios = http.map((r, i) => r.rate / alone[i]);
  const rate = median(rates);
  const aloneRate = median(alone);
  const ratio = median(ratios);
  const windowsOver = http.reduce((sum, r) => sum + r.windowsOver, 0);
  const refused = http.reduce((sum, r) => sum + r.refused, 0);
  const failed = http.reduce((sum, r) => sum + r.failedChunks, 0);
  const lowestSecond = Math.min(...http.flatMap((r) => r.perSecond));
  const busiestSecond = Math.max(...http.flatMap((r) => r.perSecond));
  return [
    {
      id: 'cap-rate',
      goal: `cap use: sustained rate over ${seconds} s (sandbox arrivals per whole second) >= ${GOAL_SHARE} x ${CAP_TPS} req/s; ratio = HTTP / limiter alone`,
      figure: `${rate.toFixed(1)} req/s = ${(rate / CAP_TPS).toFixed(3)} x ${CAP_TPS} (median of ${runs} runs; ${fmt(rate * 500)} recipients/s)`,
      baseline: `TpsRateLimiter alone, no HTTP: ${aloneRate.toFixed(1)} acquisitions/s`,
      ratio,
      pass: rate >= GOAL_SHARE * CAP_TPS && failed === 0,
      notes: [
        `sustained rate per run: ${rates.map((x) => x.toFixed(1)).join(', ')} req/s; limiter alone: ${alone.map((x) => x.toFixed(1)).join(', ')}`,
        `per-run ratios HTTP / limiter alone: ${ratios.map((x) => x.toFixed(3)).join(', ')} (median ${ratio.toFixed(3)})`,
        `arrivals per whole wall-clock second over all runs: min ${lowestSecond}, max ${busiestSecond}; failed chunks ${failed}`,
      ],
    },
    {
      id: 'cap-windows',
      goal: `cap use: one-second windows above ${CAP_TPS} (sandbox record) = 0`,
      figure: `${windowsOver} windows, ${refused} refused (${runs} runs of ${seconds} s)`,
      baseline: '0',
      pass: windowsOver === 0 && refused === 0,
      notes: [
        `busiest wall-clock second: ${busiestSecond}; busiest sliding 1000 ms window of arrivals as stamped by the sandbox, per run: ${http.map((r) => r.slidingMax).join(', ')} ` +
          `(informational, not the goal: the limiter spaces departures 1010 ms per ${CAP_TPS}; arrivals bunch where early requests of a run wait for a new connection)`,
        ...(windowsOver ? [`worst window: ${Math.max(...http.map((r) => r.worstWindow))} requests`] : []),
      ],
    },
  ];
}

if (require.main === module) runMain(runCapBench);
