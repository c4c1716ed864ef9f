/**
 * Issue 17, the cost of observability: CPU time the sample app spends per POST /sms with
 * OTEL_ENABLED=true against the same app with it off, at 32 connections.
 *
 * - metrics (the goal, <= 1.05x): the OpenTelemetry SDK, the Prometheus exporter (scraped once per
 *   round, as Prometheus would) and the library's metrics; no OTLP endpoint, so no tracing;
 * - tracing (reported, no goal): the same plus OTEL_EXPORTER_OTLP_ENDPOINT (a sink in this
 *   process): HTTP server spans, the library's spans, OTLP export of both.
 *
 * Three app processes (compiled JavaScript, as `npm start` runs it, NODE_ENV=production: JSON log
 * lines to /dev/null) against one sandbox (no TPS limit); autocannon takes them in palindromic
 * rounds (off, metrics, tracing, tracing, metrics, off; then reversed). A round's CPU is the app's
 * own user + system time from /proc/<pid>/stat over the round, divided by the answers it gave;
 * each figure is the median of the per-pair ratios.
 *
 *   node bench/run-all.js telemetry
 *
 * BENCH_TELEMETRY_SECONDS (default 2 per round), BENCH_TELEMETRY_ROUNDS (default 4 pairs),
 * BENCH_TELEMETRY_WARMUP_SECONDS (10 per app), BENCH_CONNECTIONS (32).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
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

/** An OTLP/HTTP endpoint that takes whatever is sent and answers 200 (the tracing side's collector). */
async function startOtlpSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type SideName = 'off' | 'metrics' | 'tracing';

export async function runTelemetryBench(): Promise<GoalReport[]> {
  const durationS = Number(process.env.BENCH_TELEMETRY_SECONDS ?? 2);
  const pairs = Number(process.env.BENCH_TELEMETRY_ROUNDS ?? 4);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const sandbox = await startBenchServer('sandbox', { maxTps: 0, historyLimit: 0 });
  const sink = await startOtlpSink();
  const [metricsPort, tracingPort] = [await freePort(), await freePort()];
  const [off, metrics, tracing] = await Promise.all([
    startApp('src/main.ts', { ...appEnv(sandbox.url), OTEL_ENABLED: 'false' }),
    startApp('src/main.ts', { ...appEnv(sandbox.url), OTEL_ENABLED: 'true', METRICS_PORT: String(metricsPort) }),
    startApp('src/main.ts', {
      ...appEnv(sandbox.url),
      OTEL_ENABLED: 'true',
      METRICS_PORT: String(tracingPort),
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    }),
  ]);
  const pinned =
    process.env.BENCH_APP_PIN !== '0' &&
    cpus().length >= 2 &&
    [off, metrics, tracing].every((app) => pin(app.pid, 1)) &&
    pin(process.pid, 0) &&
    pin(sandbox.pid, 0);
  log(pinned ? 'apps pinned to CPU 1; autocannon, the OTLP sink and the sandbox to CPU 0' : 'not pinned');
  const scraper = (port: number) => async () => {
    const url = `http://127.0.0.1:${port}/metrics`;
    const text = await (await fetch(url)).text();
    if (!text.includes('thaibulksms_client_requests_total')) throw new Error(`${url} has no library metrics`);
  };
  const sides: Record<SideName, Side> = {
    off: { name: 'off', url: off.url, pid: off.pid },
    metrics: { name: 'metrics', url: metrics.url, pid: metrics.pid, scrape: scraper(metricsPort) },
    tracing: { name: 'tracing', url: tracing.url, pid: tracing.pid, scrape: scraper(tracingPort) },
  };
  try {
    const warmUpS = Number(process.env.BENCH_TELEMETRY_WARMUP_SECONDS ?? 10);
    for (const side of Object.values(sides)) await measure(side, warmUpS, connections);
    const ratios: Record<'metrics' | 'tracing', number[]> = { metrics: [], tracing: [] };
    const perSend: Record<SideName, number[]> = { off: [], metrics: [], tracing: [] };
    const rps: Record<SideName, number[]> = { off: [], metrics: [], tracing: [] };
    const palindrome: SideName[] = ['off', 'metrics', 'tracing', 'tracing', 'metrics', 'off'];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? palindrome : [...palindrome].reverse();
      const got: Record<SideName, Measured[]> = { off: [], metrics: [], tracing: [] };
      for (const name of order) got[name].push(await measure(sides[name], durationS, connections));
      const mean = (ms: Measured[]) => ms.reduce((n, m) => n + m.cpuPerSend, 0) / ms.length;
      for (const name of ['off', 'metrics', 'tracing'] as const) {
        perSend[name].push(mean(got[name]));
        rps[name].push(...got[name].map((m) => m.round.rps));
      }
      ratios.metrics.push(mean(got.metrics) / mean(got.off));
      ratios.tracing.push(mean(got.tracing) / mean(got.off));
      log(
        `pair ${i + 1}: CPU/send off ${fmt(mean(got.off) * 1e6)} µs, metrics ${fmt(mean(got.metrics) * 1e6)} µs (${ratios.metrics[i].toFixed(3)}), tracing ${fmt(mean(got.tracing) * 1e6)} µs (${ratios.tracing[i].toFixed(3)})`,
      );
    }
    const figure = (name: SideName) =>
      `median ${fmt(median(perSend[name]) * 1e6)} µs CPU/send at ${fmt(median(rps[name]))} req/s`;
    const notes = (name: 'metrics' | 'tracing') => [
      ...(pinned ? ['the three apps on CPU 1, autocannon and the sandbox on CPU 0 (taskset)'] : []),
      `per-pair ratios: ${ratios[name].map((x) => x.toFixed(3)).join(', ')} (${pairs} palindromic pairs of ${durationS} s rounds; ${spreadOf(ratios[name])})`,
    ];
    for (const name of ['metrics', 'tracing'] as const)
      log(`${name}: per-pair ratios median ${median(ratios[name]).toFixed(3)}, ${spreadOf(ratios[name])}`);
    const metricsRatio = median(ratios.metrics);
    const tracingRatio = median(ratios.tracing);
    return [
      {
        id: 'telemetry-cost',
        goal: `CPU per POST /sms with OTEL_ENABLED=true (SDK, Prometheus exporter, library metrics) / off <= ${GOAL_RATIO} (${connections} connections)`,
        figure: `metrics: ${figure('metrics')}`,
        baseline: `off: ${figure('off')}`,
        ratio: metricsRatio,
        pass: metricsRatio <= GOAL_RATIO,
        notes: notes('metrics'),
      },
      {
        id: 'telemetry-tracing-cost',
        goal: `reported, no goal: the same with OTEL_EXPORTER_OTLP_ENDPOINT (HTTP server spans, library spans, OTLP export) / off (${connections} connections)`,
        figure: `tracing: ${figure('tracing')}`,
        baseline: `off: ${figure('off')}`,
        ratio: tracingRatio,
        pass: true,
        notes: notes('tracing'),
      },
    ];
  } finally {
    await Promise.all([off.stop(), metrics.stop(), tracing.stop()]);
    await sink.close();
    await sandbox.stop();
  }
}

if (require.main === module) runMain(runTelemetryBench);
