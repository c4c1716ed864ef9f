/**
 * Issue 17, the cost of observability: CPU time the sample app spends per POST /sms with the
 * OpenTelemetry SDK, the Prometheus exporter and the library's telemetry on (OTEL_ENABLED=true,
 * scraped once per round as Prometheus would), against the same app with them off. Goal: at most
 * 1.05× the CPU per send, at 32 connections.
 *
 * Two app processes (compiled JavaScript, as `npm start` runs it, NODE_ENV=production: JSON log
 * lines to /dev/null) against one sandbox (no TPS limit); autocannon alternates between them in
 * ABBA pairs. A round's CPU is the app's own user + system time from /proc/<pid>/stat over the
 * round, divided by the answers it gave; the figure is the median of the per-pair ratios.
 *
 *   node bench/run-all.js telemetry
 *
 * BENCH_TELEMETRY_SECONDS (default 2 per round), BENCH_TELEMETRY_ROUNDS (default 4 pairs),
 * BENCH_CONNECTIONS (32).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { API_KEY, appEnv, pin, round, Round, startApp } from './app.bench';
import { fmt, freePort, GoalReport, log, median, quartiles, runMain } from './lib/bench.util';
import { startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RATIO = 1.05;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux everywhere it matters). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds used by process `pid` so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "pid (comm) ": state is index 0, utime 11, stime 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

interface Side {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Prometheus' scrape, once per round (its cost is the exporter's cost). */
  readonly scrape?: () => Promise<void>;
}

interface Measured {
  readonly round: Round;
  /** CPU seconds per answer. */
  readonly cpuPerSend: number;
}

async function measure(side: Side, durationS: number, connections: number): Promise<Measured> {
  const before = cpuSeconds(side.pid);
  const result = await round(side.url, { 'x-api-key': API_KEY }, durationS, connections);
  await side.scrape?.();
  return { round: result, cpuPerSend: (cpuSeconds(side.pid) - before) / result.requests };
}

const spreadOf = (values: readonly number[]): string => {
  const [q1, , q3] = quartiles(values);
  return `min ${Math.min(...values).toFixed(3)}, IQR ${q1.toFixed(3)}-${q3.toFixed(3)}, max ${Math.max(...values).toFixed(3)}`;
};

export async function runTelemetryBench(): Promise<GoalReport[]> {
  const durationS = Number(process.env.BENCH_TELEMETRY_SECONDS ?? 2);
  const pairs = Number(process.env.BENCH_TELEMETRY_ROUNDS ?? 4);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const sandbox = await startBenchServer('sandbox', { maxTps: 0, historyLimit: 0 });
  const metricsPort = await freePort();
  const [off, on] = await Promise.all([
    startApp('src/main.ts', { ...appEnv(sandbox.url), OTEL_ENABLED: 'false' }),
    startApp('src/main.ts', { ...appEnv(sandbox.url), OTEL_ENABLED: 'true', METRICS_PORT: String(metricsPort) }),
  ]);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const pinned =
    process.env.BENCH_APP_PIN !== '0' &&
    cpus().length >= 2 &&
    pin(off.pid, 1) &&
    pin(on.pid, 1) &&
    pin(process.pid, 0) &&
    pin(sandbox.pid, 0);
  log(pinned ? 'apps pinned to CPU 1; autocannon and the sandbox to CPU 0' : 'not pinned');
  const offSide: Side = { name: 'telemetry off', url: off.url, pid: off.pid };
  const onSide: Side = {
    name: 'telemetry on',
    url: on.url,
    pid: on.pid,
    scrape: async () => {
      const text = await (await fetch(metricsUrl)).text();
      if (!text.includes('thaibulksms_client_requests_total')) throw new Error(`${metricsUrl} has no library metrics`);
    },
  };
  try {
    const warmUpS = Number(process.env.BENCH_TELEMETRY_WARMUP_SECONDS ?? 5);
    for (const side of [offSide, onSide]) await measure(side, warmUpS, connections);
    const ratios: number[] = [];
    const perSend: Record<string, number[]> = { on: [], off: [] };
    const rps: Record<string, number[]> = { on: [], off: [] };
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? [offSide, onSide, onSide, offSide] : [onSide, offSide, offSide, onSide];
      const got = { on: [] as Measured[], off: [] as Measured[] };
      for (const side of order) got[side === onSide ? 'on' : 'off'].push(await measure(side, durationS, connections));
      const mean = (ms: Measured[]) => ms.reduce((n, m) => n + m.cpuPerSend, 0) / ms.length;
      const ratio = mean(got.on) / mean(got.off);
      ratios.push(ratio);
      for (const key of ['on', 'off'] as const) {
        perSend[key].push(mean(got[key]));
        rps[key].push(...got[key].map((m) => m.round.rps));
      }
      log(
        `pair ${i + 1}: on ${fmt(mean(got.on) * 1e6)} µs CPU/send, off ${fmt(mean(got.off) * 1e6)} µs CPU/send; ratio ${ratio.toFixed(3)}`,
      );
    }
    const ratio = median(ratios);
    log(`per-pair ratios: median ${ratio.toFixed(3)}, ${spreadOf(ratios)}`);
    return [
      {
        id: 'telemetry-cost',
        goal: `CPU per POST /sms with OTEL_ENABLED=true (SDK, Prometheus exporter, library telemetry) / off <= ${GOAL_RATIO} (${connections} connections)`,
        figure: `on: median ${fmt(median(perSend.on) * 1e6)} µs CPU/send at ${fmt(median(rps.on))} req/s`,
        baseline: `off: median ${fmt(median(perSend.off) * 1e6)} µs CPU/send at ${fmt(median(rps.off))} req/s`,
        ratio,
        pass: ratio <= GOAL_RATIO,
        notes: [
          ...(pinned ? ['both apps on CPU 1, autocannon and the sandbox on CPU 0 (taskset)'] : []),
          `per-pair ratios: ${ratios.map((x) => x.toFixed(3)).join(', ')} (${pairs} ABBA pairs of ${durationS} s rounds; ${spreadOf(ratios)})`,
        ],
      },
    ];
  } finally {
    await Promise.all([off.stop(), on.stop()]);
    await sandbox.stop();
  }
}

if (require.main === module) runMain(runTelemetryBench);
