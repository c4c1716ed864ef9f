/**
 * Goal 4, the sample app: POST /sms throughput under autocannon, against a bare Nest endpoint
 * that makes the same upstream call with raw axios (bench/lib/bare-nest-app.ts). Throughput
 * ratio >= 0.8; p50/p99 latency of both.
 *
 * Three processes besides this one: the sandbox (no TPS limit), the sample app (src/main.ts as
 * compiled JavaScript, as `npm start` and production run it, against that sandbox as its "real" API: THAIBULKSMS_SANDBOX=false,
 * THAIBULKSMS_MAX_TPS=0 so the client limit does not cap the figure, NODE_ENV=production so logs
 * are JSON lines as in production, stdout to /dev/null) and the bare app. Autocannon rounds
 * alternate between the two apps (bare, app; then app, bare: ABBA over two rounds). The figure is
 * the median of the per-round throughput ratios, with its spread, printed next to the median
 * throughput and latencies of each side (and the ratio of the median throughputs, labelled).
 *
 *   node bench/run-all.js app
 *
 * BENCH_APP_SECONDS (default 2 per round), BENCH_APP_ROUNDS (default 7 pairs), BENCH_CONNECTIONS (32).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../libs/thai-bulk-sms/src/sandbox';
import { fmt, freePort, GoalReport, log, median, quartiles, runMain, tsExecArgv } from './lib/bench.util';
import { compiledPath, compiledRunner } from './lib/compile-js';
import { autocannon, AutocannonResult, startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RATIO = 0.8;
export const API_KEY = 'bench-api-key-0123456789';
const ROOT = join(__dirname, '..');

export interface AppProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Pins every thread of process `pid` to `cpu` with taskset (util-linux). The apps under test get
 * a core of their own, and autocannon (this process) and the sandbox share the other: three busy
 * processes on two cores otherwise share them as the scheduler happens to decide, and the
 * throughput of either app swung by a factor of two between rounds. False when not possible.
 */
export function pin(pid: number, cpu: number): boolean {
  const run = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  return run.status === 0;
}

/**
 * Starts `script` (a .ts path from the repo root) as compiled JavaScript, as `npm start` runs the
 * app (nest start compiles first) and as production does; BENCH_APP_TS=1 runs it under ts-node.
 */
export async function startApp(script: string, env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const port = await freePort();
  const underTsNode = process.env.BENCH_APP_TS === '1';
  const runner = underTsNode ? { execArgv: tsExecArgv(), env: {} } : compiledRunner();
  const child: ChildProcess = spawn(
    process.execPath,
    [...runner.execArgv, underTsNode ? join(ROOT, script) : compiledPath(script)],
    {
      cwd: ROOT,
      env: { ...process.env, ...runner.env, ...env, PORT: String(port) },
      // BENCH_APP_LOG_DIR keeps each app's stdout (its JSON log lines) for a look after the run.
      stdio: [
        'ignore',
        process.env.BENCH_APP_LOG_DIR
          ? openSync(join(process.env.BENCH_APP_LOG_DIR, `${script.replace(/\W+/g, '-')}-${port}.log`), 'w')
          : 'ignore',
        'inherit',
      ],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with code ${child.exitCode}`);
    try {
      await fetch(`${url}/sms`, { method: 'OPTIONS' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${script} did not start listening within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Round {
  readonly rps: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

export async function round(
  url: string,
  headers: Record<string, string>,
  durationS: number,
  connections: number,
): Promise<Round> {
  const result: AutocannonResult = await autocannon({
    url: `${url}/sms`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ to: '0812345678', message: 'Your parcel is on its way.' }),
    connections,
    duration: durationS,
  });
  if (result.non2xx > 0 || result.errors + result.timeouts > 0) {
    const statuses = JSON.stringify((result as AutocannonResult & { statusCodeStats?: unknown }).statusCodeStats ?? {});
    throw new Error(
      `${url}: ${result.non2xx} non-2xx answers, ${result.errors + result.timeouts} errors (status codes ${statuses}); the figure is not valid`,
    );
  }
  // Answers over the round's own duration (requests.average is a mean of whole-second samples).
  return {
    rps: result.requests.total / result.duration,
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

interface Side {
  readonly url: string;
  readonly headers: Record<string, string>;
}

interface Pair {
  /** Answers per second of each side over its two rounds of the pair. */
  readonly aRps: number;
  readonly bRps: number;
  readonly aRounds: Round[];
  readonly bRounds: Round[];
}

/** One pair: rounds A B B A (B A A B when `flip`), `durationS` each. */
async function pair(a: Side, b: Side, durationS: number, connections: number, flip: boolean): Promise<Pair> {
  const order = flip ? [b, a, a, b] : [a, b, b, a];
  const aRounds: Round[] = [];
  const bRounds: Round[] = [];
  for (const side of order)
    (side === a ? aRounds : bRounds).push(await round(side.url, side.headers, durationS, connections));
  const rps = (rs: Round[]) => rs.reduce((n, r) => n + r.requests, 0) / rs.reduce((t, r) => t + r.seconds, 0);
  return { aRps: rps(aRounds), bRps: rps(bRounds), aRounds, bRounds };
}

const spreadOf = (values: readonly number[]): string => {
  const [q1, , q3] = quartiles(values);
  return `min ${Math.min(...values).toFixed(3)}, IQR ${q1.toFixed(3)}-${q3.toFixed(3)}, max ${Math.max(...values).toFixed(3)}`;
};

export const appEnv = (sandboxUrl: string): NodeJS.ProcessEnv => {
  const { apiKey, apiSecret, otpKey, otpSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    THAIBULKSMS_SANDBOX: 'false',
    THAIBULKSMS_API_KEY: apiKey,
    THAIBULKSMS_API_SECRET: apiSecret,
    THAIBULKSMS_OTP_KEY: otpKey,
    THAIBULKSMS_OTP_SECRET: otpSecret,
    THAIBULKSMS_BASE_URL: sandboxUrl,
    THAIBULKSMS_OTP_BASE_URL: sandboxUrl,
    THAIBULKSMS_MAX_TPS: '0',
    APP_API_KEYS: API_KEY,
    // The send path against bare Nest: the ledger has its own bench (ledger.bench.ts); the
    // compliance rules stay on (strict, the opt-out list in memory).
    LEDGER_ENABLED: 'false',
    COMPLIANCE_ERASURE_KEY: 'bench-erasure-key-0123456789abcdefghij',
  };
};

export async function runAppBench(): Promise<GoalReport[]> {
  const durationS = Number(process.env.BENCH_APP_SECONDS ?? 2);
  const pairs = Number(process.env.BENCH_APP_ROUNDS ?? 7);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const control = process.env.BENCH_APP_AA === '1';
  // No history in the sandbox: its request log would make garbage, and GC pauses, in the upstream.
  const sandbox = await startBenchServer('sandbox', { maxTps: 0, historyLimit: 0 });
  const [app, bare, bareAgain] = await Promise.all([
    startApp('src/main.ts', appEnv(sandbox.url)),
    startApp('bench/lib/bare-nest-app.ts', { UPSTREAM_URL: sandbox.url }),
    ...(control ? [startApp('bench/lib/bare-nest-app.ts', { UPSTREAM_URL: sandbox.url })] : []),
  ]);
  // Pinning needs two cores and taskset; BENCH_APP_PIN=0 turns it off.
  const pinned =
    process.env.BENCH_APP_PIN !== '0' &&
    cpus().length >= 2 &&
    [app, bare, ...(bareAgain ? [bareAgain] : [])].every((p) => pin(p.pid, 1)) &&
    pin(process.pid, 0) &&
    pin(sandbox.pid, 0);
  log(
    pinned
      ? 'apps under test pinned to CPU 1; autocannon and the sandbox to CPU 0'
      : 'not pinned (no taskset, one core, or BENCH_APP_PIN=0)',
  );
  const appSide: Side = { url: app.url, headers: { 'x-api-key': API_KEY } };
  const bareSide: Side = { url: bare.url, headers: {} };
  try {
    // Warm-up (JIT, upstream sockets): an app under ts-node reaches its steady rate after 5-7 s of load.
    const warmUpS = Number(process.env.BENCH_APP_WARMUP_SECONDS ?? 6);
    for (const side of [bareSide, appSide]) await round(side.url, side.headers, warmUpS, connections);
    const measured: Pair[] = [];
    for (let i = 0; i < pairs; i++) {
      const p = await pair(bareSide, appSide, durationS, connections, i % 2 === 1);
      measured.push(p);
      const rounds = (rs: Round[]) => rs.map((r) => fmt(r.rps)).join(' + ');
      log(
        `pair ${i + 1}: sample app ${fmt(p.bRps)} req/s (${rounds(p.bRounds)}), bare Nest ${fmt(p.aRps)} req/s (${rounds(p.aRounds)}); ratio ${(p.bRps / p.aRps).toFixed(3)}`,
      );
    }
    const ratios = measured.map((p) => p.bRps / p.aRps);
    const ratio = median(ratios);
    const appRounds = measured.flatMap((p) => p.bRounds);
    const bareRounds = measured.flatMap((p) => p.aRounds);
    const appRps = median(measured.map((p) => p.bRps));
    const bareRps = median(measured.map((p) => p.aRps));
    const latency = (rs: Round[]) => `p50 ${median(rs.map((r) => r.p50))} ms, p99 ${median(rs.map((r) => r.p99))} ms`;
    const notes = [
      ...(pinned ? ['apps under test on CPU 1, autocannon and the sandbox on CPU 0 (taskset)'] : []),
      `per-pair ratios: ${ratios.map((x) => x.toFixed(3)).join(', ')} (${pairs} ABBA pairs of ${durationS} s rounds; ${spreadOf(ratios)}); ratio of the median throughputs ${(appRps / bareRps).toFixed(3)}`,
    ];
    log(
      `per-pair ratios: median ${ratio.toFixed(3)}, ${spreadOf(ratios)}; ratio of the median throughputs ${(appRps / bareRps).toFixed(3)}`,
    );
    if (bareAgain) {
      const againSide: Side = { url: bareAgain.url, headers: {} };
      await round(againSide.url, againSide.headers, warmUpS, connections);
      const aa: number[] = [];
      for (let i = 0; i < pairs; i++) {
        const p = await pair(bareSide, againSide, durationS, connections, i % 2 === 1);
        aa.push(p.bRps / p.aRps);
      }
      const aaNote = `control, bare Nest vs a second bare Nest by the same method: median ${median(aa).toFixed(3)}, ${spreadOf(aa)}`;
      log(aaNote);
      notes.push(aaNote);
    }
    return [
      {
        id: 'app-throughput',
        goal: `sample app POST /sms throughput / bare Nest + raw axios >= ${GOAL_RATIO} (${connections} connections; median of per-pair ratios)`,
        figure: `sample app median ${fmt(appRps)} req/s, ${latency(appRounds)}`,
        baseline: `bare Nest median ${fmt(bareRps)} req/s, ${latency(bareRounds)}`,
        ratio,
        pass: ratio >= GOAL_RATIO,
        notes,
      },
    ];
  } finally {
    await Promise.all([app.stop(), bare.stop(), bareAgain?.stop()]);
    await sandbox.stop();
  }
}

if (require.main === module) runMain(runAppBench);
