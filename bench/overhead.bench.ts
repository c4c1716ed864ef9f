/**
 * Goal 2, client overhead: `SmsService.send` (one number) against a raw axios POST of the same
 * form body over the same kind of keep-alive agent, at concurrency 1 and 32, rate limit off.
 *
 * This machine's speed drifts by tens of percent within a second (the same 300 raw requests took
 * 45 to 113 ms of CPU in consecutive runs, GC under 2 ms of it), so long runs one after the other
 * measure the drift, not the client. The two sides are therefore interleaved finely: a block is
 * a few requests at the given concurrency (20 at concurrency 1; 96 at concurrency 32, which keeps
 * 32 in flight until the last 32 of the block are out), and blocks go A B B A, B A A B, ... (A raw,
 * B library). One pair is `cycles` such quadruples; its ratio is library time / raw time, each
 * summed over its blocks. The figure is the median of the per-pair ratios with its spread
 * (quartiles, min, max), printed next to the median time of each side per pair and the ratio of
 * those medians (labelled). With BENCH_OVERHEAD_AA=1 the same method also runs raw against raw:
 * the noise floor of the method, in the same run.
 *
 *   node bench/run-all.js overhead
 *
 * BENCH_OVERHEAD_PAIRS (default 11), BENCH_OVERHEAD_CYCLES (ABBA quadruples per pair, default 15),
 * BENCH_OVERHEAD_BLOCK_C1 / _C32 (requests per block, default 20 / 96), BENCH_OVERHEAD_AA=1.
 */
import axios from 'axios';
import * as http from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import { createLibrary, fmt, GoalReport, log, median, quartiles, runMain, sandboxAuth } from './lib/bench.util';
import { startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RATIO = 1.1;
const MESSAGE = 'Your code is 123456';
const SENDER = 'SMS.';
const PHONE = '0812345678';

type Sender = () => Promise<unknown>;

interface Timed {
  readonly ms: number;
  /** CPU time of this process (user + system), the client's own cost. */
  readonly cpuMs: number;
  /** Garbage-collection pauses of this process during the run (part of `ms`). */
  readonly gcMs: number;
}

// GC pauses as they end; a run reads the running total before and after (entries are delivered
// asynchronously, so a pause at the very end of a run may be counted in the next one).
let gcTotalMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcTotalMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

async function timeRun(send: Sender, requests: number, concurrency: number): Promise<Timed> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      await send();
    }
  };
  const cpu = process.cpuUsage();
  const gc = gcTotalMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, gcMs: gcTotalMs - gc };
}

interface Pair {
  /** Wall time of all raw blocks / of all library blocks of the pair, ms. */
  readonly rawMs: number;
  readonly libMs: number;
  readonly rawCpuMs: number;
  readonly libCpuMs: number;
  readonly rawGcMs: number;
  readonly libGcMs: number;
  /** Requests of each side in the pair. */
  readonly requests: number;
}

/** `cycles` quadruples A B B A / B A A B of `block` requests each (A = `a`, B = `b`). */
async function pair(a: Sender, b: Sender, block: number, concurrency: number, cycles: number): Promise<Pair> {
  let rawMs = 0;
  let libMs = 0;
  let rawCpuMs = 0;
  let libCpuMs = 0;
  let rawGcMs = 0;
  let libGcMs = 0;
  for (let k = 0; k < cycles; k++) {
    const order = k % 2 === 0 ? [a, b, b, a] : [b, a, a, b];
    for (const send of order) {
      const t = await timeRun(send, block, concurrency);
      if (send === a) {
        rawMs += t.ms;
        rawCpuMs += t.cpuMs;
        rawGcMs += t.gcMs;
      } else {
        libMs += t.ms;
        libCpuMs += t.cpuMs;
        libGcMs += t.gcMs;
      }
    }
  }
  return { rawMs, libMs, rawCpuMs, libCpuMs, rawGcMs, libGcMs, requests: 2 * cycles * block };
}

const spread = (values: readonly number[]): string => {
  const [q1, q2, q3] = quartiles(values);
  return `median ${q2.toFixed(3)}, IQR ${q1.toFixed(3)}-${q3.toFixed(3)}, min ${Math.min(...values).toFixed(3)}, max ${Math.max(...values).toFixed(3)}`;
};

/** The baseline's request options: what the library's transport sets, no more (no redirects). */
const RAW_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };

export async function runOverheadBench(): Promise<GoalReport[]> {
  const pairs = Number(process.env.BENCH_OVERHEAD_PAIRS ?? 11);
  const cycles = Number(process.env.BENCH_OVERHEAD_CYCLES ?? 15);
  const blocks: Record<number, number> = {
    1: Number(process.env.BENCH_OVERHEAD_BLOCK_C1 ?? 20),
    32: Number(process.env.BENCH_OVERHEAD_BLOCK_C32 ?? 96),
  };
  const control = process.env.BENCH_OVERHEAD_AA === '1';
  // The sandbox keeps no history here: its request log would make garbage (and major GCs in the
  // server process) that land at random in short blocks; the bench measures the client.
  const server = await startBenchServer('sandbox', { maxTps: 0, historyLimit: 0 });
  const library = await createLibrary(server.url, { maxTps: 0 });
  // The baseline: what a hand-written client does with axios, no more. Same body fields the
  // library sends (message, sender, force, msisdn), built per request; axios parses the JSON.
  // maxRedirects 0 as the library sets it: axios' default routes through follow-redirects, which
  // costs the baseline ~3% CPU the library does not pay (seen in the profile).
  const agent = new http.Agent({ keepAlive: true });
  const raw = axios.create({ httpAgent: agent });
  const auth = sandboxAuth();
  const url = `${server.url}/sms`;
  const rawSend: Sender = async () => {
    const body = new URLSearchParams({ message: MESSAGE, sender: SENDER, force: 'standard', msisdn: PHONE }).toString();
    const response = await raw.post(url, body, { auth, headers: RAW_HEADERS, maxRedirects: 0 });
    if (response.status !== 201) throw new Error(`raw send answered ${response.status}`);
  };
  // The same raw send under another identity, for the raw-versus-raw control.
  const rawSendAgain: Sender = () => rawSend();
  const serviceSend: Sender = () => library.sms.send({ to: PHONE, message: MESSAGE, sender: SENDER });

  const goals: GoalReport[] = [];
  try {
    for (const concurrency of [1, 32]) {
      const block = blocks[concurrency];
      // Warm-up: JIT, sockets of both agents.
      await pair(rawSend, serviceSend, block, concurrency, Math.max(4, Math.ceil(2000 / block)));
      const measured: Pair[] = [];
      for (let i = 0; i < pairs; i++) measured.push(await pair(rawSend, serviceSend, block, concurrency, cycles));
      const perPair = measured[0].requests;
      const ratios = measured.map((p) => p.libMs / p.rawMs);
      const cpuRatios = measured.map((p) => p.libCpuMs / p.rawCpuMs);
      const ratio = median(ratios);
      const rawMed = median(measured.map((p) => p.rawMs));
      const libMed = median(measured.map((p) => p.libMs));
      const rawCpuUs = median(measured.map((p) => (p.rawCpuMs * 1000) / p.requests));
      const libCpuUs = median(measured.map((p) => (p.libCpuMs * 1000) / p.requests));
      const perSecond = (ms: number) => fmt((perPair / ms) * 1000);
      log(
        `concurrency ${concurrency}: ${pairs} pairs of ${cycles} ABBA cycles of ${block}-request blocks (${perPair} requests per side per pair); ` +
          `per pair: raw axios median ${fmt(rawMed)} ms (${perSecond(rawMed)} req/s), SmsService.send median ${fmt(libMed)} ms (${perSecond(libMed)} req/s)`,
      );
      log(`  per-pair wall-time ratios (library / raw): ${ratios.map((x) => x.toFixed(3)).join(' ')}`);
      log(`  ${spread(ratios)}; ratio of the median times ${(libMed / rawMed).toFixed(3)}`);
      const gcUs = (side: 'rawGcMs' | 'libGcMs') =>
        fmt((measured.reduce((sum, p) => sum + p[side], 0) * 1000) / (pairs * perPair), 1);
      const cpuNote =
        `client-process CPU per request: SmsService.send ${fmt(libCpuUs)} us vs raw axios ${fmt(rawCpuUs)} us (per-pair CPU ratios ${spread(cpuRatios)}); ` +
        `GC pauses per request ${gcUs('libGcMs')} vs ${gcUs('rawGcMs')} us`;
      log(`  ${cpuNote}`);
      const notes = [
        `per-pair wall-time ratios: ${spread(ratios)} (${pairs} pairs); ratio of the median times ${(libMed / rawMed).toFixed(3)}`,
        cpuNote,
      ];
      if (control) {
        const aa: Pair[] = [];
        for (let i = 0; i < pairs; i++) aa.push(await pair(rawSend, rawSendAgain, block, concurrency, cycles));
        const aaNote = `control, raw vs raw by the same method: ${spread(aa.map((p) => p.libMs / p.rawMs))}`;
        log(`  ${aaNote}`);
        notes.push(aaNote);
      }
      goals.push({
        id: `overhead-c${concurrency}`,
        goal: `client overhead, concurrency ${concurrency}: SmsService.send / raw axios wall time <= ${GOAL_RATIO} (median of per-pair ratios)`,
        figure: `median ${fmt(libMed)} ms per ${perPair} requests (${perSecond(libMed)} req/s)`,
        baseline: `raw axios median ${fmt(rawMed)} ms (${perSecond(rawMed)} req/s)`,
        ratio,
        pass: ratio <= GOAL_RATIO,
        notes,
      });
    }
  } finally {
    agent.destroy();
    await library.close();
    await server.stop();
  }
  return goals;
}

/**
 * `--profile raw|service [concurrency] [requests]`: one sender only, for `node --cpu-prof`
 * (see README "Profiling").
 */
async function profileOne(kind: string, concurrency: number, requests: number): Promise<void> {
  const server = await startBenchServer('sandbox', { maxTps: 0, historyLimit: 0 });
  const library = await createLibrary(server.url, { maxTps: 0 });
  const agent = new http.Agent({ keepAlive: true });
  const raw = axios.create({ httpAgent: agent });
  const auth = sandboxAuth();
  const send: Sender =
    kind === 'raw'
      ? () =>
          raw.post(
            `${server.url}/sms`,
            new URLSearchParams({ message: MESSAGE, sender: SENDER, force: 'standard', msisdn: PHONE }).toString(),
            {
              auth,
              headers: RAW_HEADERS,
              maxRedirects: 0,
            },
          )
      : () => library.sms.send({ to: PHONE, message: MESSAGE, sender: SENDER });
  await timeRun(send, 2000, concurrency);
  const { ms, cpuMs } = await timeRun(send, requests, concurrency);
  log(
    `${kind}: ${requests} requests at concurrency ${concurrency} in ${fmt(ms)} ms, ${fmt(cpuMs)} ms CPU (${fmt((cpuMs * 1000) / requests)} us per request)`,
  );
  agent.destroy();
  await library.close();
  await server.stop();
}

if (require.main === module) {
  if (process.argv[2] === '--profile') {
    profileOne(process.argv[3] ?? 'service', Number(process.argv[4] ?? 32), Number(process.argv[5] ?? 10000)).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    runMain(runOverheadBench);
  }
}
