/**
 * Bulk: `sendBulk` against a raw chunked loop doing the same requests (chunks of 500 joined with
 * commas, the same form fields, the same concurrency as the library's maxConcurrency, raw axios
 * over a keep-alive agent, every answer parsed), rate limit off, at 200,000 and 1,000,000
 * recipients, with `summaryOnly` (the loop counts the answers) and without (the loop keeps every
 * entry of every answer, as the library's result does). Goals (issue 18): time <= 1.10 x the loop
 * for every size and mode; peak RSS of the streamed 1,000,000 summaryOnly send <= 200 MB (issue 7).
 *
 * The recipients are an array of numbers already in memory (`BENCH_BULK_INPUT=array`, as a caller
 * with a list has them), except for the RSS goal, which streams them from an async generator
 * (`BENCH_BULK_INPUT=async` streams every run). With an async generator both sides pay a
 * microtask per number, a cost the library does not add but which dilutes its ratio.
 *
 * Each run is its own child process (clean heap, peak RSS of that process alone). Runs come in
 * pairs, raw then library, the next pair library then raw (ABBA over two pairs), so a drift on the
 * shared machine hits both sides. The figure is the median of the per-pair time ratios, with its
 * spread, printed next to the median times of each side (and the ratio of those, labelled).
 *
 *   node bench/run-all.js bulk
 *
 * BENCH_BULK_SIZES (default 200000,1000000), BENCH_BULK_RUNS (default 3 pairs per size and mode),
 * BENCH_BULK_INPUT (array | async, default array), BENCH_BULK_WARMUP (recipients sent before the
 * measured run in the same process, default 20000; 0 measures a cold start).
 */
import axios from 'axios';
import * as http from 'node:http';
import { DEFAULT_MAX_CONCURRENCY, MAX_RECIPIENTS_PER_REQUEST } from '../libs/thai-bulk-sms/src/thai-bulk-sms.constants';
import {
  createLibrary,
  fmt,
  GoalReport,
  log,
  median,
  quartiles,
  runInChild,
  runMain,
  sandboxAuth,
  thaiNumbers,
} from './lib/bench.util';
import { compiledPath } from './lib/compile-js';
import { startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RATIO = 1.1;
const GOAL_RSS_MB = 200;
const RSS_RECIPIENTS = 1_000_000;
const MESSAGE = 'Flash sale: 20% off today only';
const SENDER = 'SMS.';
const ROLE_FLAG = '--bulk-role';

type Role = 'library' | 'raw';
type Mode = 'summary' | 'full';
type Input = 'array' | 'async';

interface RunResult {
  readonly role: Role;
  readonly ms: number;
  /** CPU time of the sending process during the measured run (user + system). */
  readonly cpuMs: number;
  readonly accepted: number;
  /** Entries kept in the result (full mode), to check both sides keep the same. */
  readonly kept: number;
  readonly requests: number;
  readonly maxRssMb: number;
}

interface VendorAnswer {
  readonly phone_number_list: unknown[];
  readonly bad_phone_number_list: unknown[];
}

/**
 * The baseline: the loop a developer would write by hand, at the library's concurrency. In full
 * mode it keeps every entry of every answer (as parsed), as a caller reporting who got what must.
 */
async function rawChunkedLoop(
  baseUrl: string,
  recipients: Iterable<string> | AsyncIterable<string>,
  mode: Mode,
): Promise<{ accepted: number; kept: number; requests: number }> {
  const agent = new http.Agent({ keepAlive: true });
  const client = axios.create({ httpAgent: agent });
  const auth = sandboxAuth();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  const inFlight = new Set<Promise<void>>();
  const kept: unknown[] = [];
  let accepted = 0;
  let requests = 0;
  const post = async (numbers: string[]) => {
    const body = new URLSearchParams({
      message: MESSAGE,
      sender: SENDER,
      force: 'standard',
      msisdn: numbers.join(','),
    }).toString();
    const response = await client.post<VendorAnswer>(`${baseUrl}/sms`, body, { auth, headers, maxRedirects: 0 });
    const answer = response.data;
    accepted += answer.phone_number_list.length;
    requests++;
    if (mode === 'summary') return;
    for (const entry of answer.phone_number_list) kept.push(entry);
    for (const entry of answer.bad_phone_number_list) kept.push(entry);
  };
  let chunk: string[] = [];
  const dispatch = async () => {
    const numbers = chunk;
    chunk = [];
    while (inFlight.size >= DEFAULT_MAX_CONCURRENCY) await Promise.race(inFlight);
    const task = post(numbers).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  const add = (phone: string) => {
    chunk.push(phone);
    return chunk.length === MAX_RECIPIENTS_PER_REQUEST ? dispatch() : undefined;
  };
  // Awaits only when a chunk goes out, as the library does: an `await` per number would cost the
  // loop a microtask per number that the library does not pay.
  if (Symbol.iterator in recipients) {
    for (const phone of recipients) {
      const wait = add(phone);
      if (wait) await wait;
    }
  } else {
    for await (const phone of recipients) {
      const wait = add(phone);
      if (wait) await wait;
    }
  }
  if (chunk.length) await dispatch();
  await Promise.all(inFlight);
  agent.destroy();
  return { accepted, kept: kept.length, requests };
}

/** Valid, distinct numbers as the run reads them: an array in memory or an async stream. */
async function recipientsOf(
  count: number,
  offset: number,
  input: Input,
): Promise<Iterable<string> | AsyncIterable<string>> {
  if (input === 'async') return thaiNumbers(count, offset);
  const list: string[] = [];
  for await (const phone of thaiNumbers(count, offset)) list.push(phone);
  return list;
}

/** One timed run in this (child) process; reports over IPC. */
async function childRun(role: Role, baseUrl: string, count: number, mode: Mode, input: Input): Promise<RunResult> {
  const library = role === 'library' ? await createLibrary(baseUrl, { maxTps: 0 }) : undefined;
  const send = async (recipients: Iterable<string> | AsyncIterable<string>) => {
    if (!library) return rawChunkedLoop(baseUrl, recipients, mode);
    const summaryOnly = mode === 'summary';
    const result = await library.sms.sendBulk({ to: recipients, message: MESSAGE, sender: SENDER, summaryOnly });
    if (result.failedChunks.length)
      throw new Error(`${result.failedChunks.length} chunks failed: ${result.failedChunks[0].message}`);
    return {
      accepted: result.acceptedCount,
      kept: result.accepted.length + result.rejected.length,
      requests: result.chunks,
    };
  };
  // Warm-up (JIT, sockets), then the measured run; the input is built before the clock starts.
  const warmUp = Number(process.env.BENCH_BULK_WARMUP ?? 20_000);
  if (warmUp > 0) await send(await recipientsOf(warmUp, 50_000_000, input));
  const recipients = await recipientsOf(count, 0, input);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { accepted, kept, requests } = await send(recipients);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  await library?.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  return { role, ms, cpuMs, accepted, kept, requests, maxRssMb };
}

interface Series {
  readonly count: number;
  readonly mode: Mode;
  readonly input: Input;
  readonly lib: RunResult[];
  readonly raw: RunResult[];
}

async function runSeries(baseUrl: string, count: number, mode: Mode, input: Input, pairs: number): Promise<Series> {
  // The sending processes run plain JavaScript: under ts-node the TypeScript compiler would sit
  // in their RSS (~50-100 MB) and be counted as the library's memory.
  const childFile = __filename.endsWith('.ts') ? compiledPath('bench/bulk.bench.ts') : __filename;
  const series: Series = { count, mode, input, lib: [], raw: [] };
  for (let i = 0; i < pairs; i++) {
    const order: Role[] = i % 2 === 0 ? ['raw', 'library'] : ['library', 'raw'];
    for (const role of order) {
      const r = await runInChild<RunResult>(childFile, [ROLE_FLAG, role, baseUrl, String(count), mode, input]);
      if (r.accepted !== count) throw new Error(`${role} run accepted ${r.accepted} of ${count}`);
      if (mode === 'full' && r.kept !== count) throw new Error(`${role} run kept ${r.kept} of ${count} entries`);
      log(
        `${role.padEnd(7)} ${fmt(count)} recipients (${mode}, ${input}), ${r.requests} requests: ${fmt(r.ms)} ms (${fmt((count / r.ms) * 1000)} recipients/s), ${fmt(r.cpuMs)} ms CPU, peak RSS ${fmt(r.maxRssMb)} MB`,
      );
      (role === 'library' ? series.lib : series.raw).push(r);
    }
  }
  return series;
}

function timeGoal({ count, mode, input, lib, raw }: Series): GoalReport {
  const ratios = lib.map((r, i) => r.ms / raw[i].ms);
  const ratio = median(ratios);
  const libMs = median(lib.map((r) => r.ms));
  const rawMs = median(raw.map((r) => r.ms));
  const cpuRatios = lib.map((r, i) => r.cpuMs / raw[i].cpuMs);
  const [q1, , q3] = quartiles(ratios);
  const spread = `min ${Math.min(...ratios).toFixed(3)}, IQR ${q1.toFixed(3)}-${q3.toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}`;
  const label = `${fmt(count)} recipients, ${mode === 'summary' ? 'summaryOnly' : 'full result'}, ${input} input`;
  log(
    `${label}: per-pair time ratios (library / raw) ${ratios.map((x) => x.toFixed(3)).join(' ')}; median ${ratio.toFixed(3)}, ${spread}; ratio of the median times ${(libMs / rawMs).toFixed(3)}`,
  );
  return {
    id: `bulk-time-${count}-${mode}-${input}`,
    goal: `bulk, ${label}: sendBulk / raw chunked loop time <= ${GOAL_RATIO} (median of per-pair ratios)`,
    figure: `median ${fmt(libMs)} ms (${fmt((count / libMs) * 1000)} recipients/s)`,
    baseline: `raw loop median ${fmt(rawMs)} ms (${fmt((count / rawMs) * 1000)} recipients/s)`,
    ratio,
    pass: ratio <= GOAL_RATIO,
    notes: [
      `per-pair ratios: ${ratios.map((x) => x.toFixed(3)).join(', ')} (${lib.length} pairs; ${spread}); ratio of the median times ${(libMs / rawMs).toFixed(3)}`,
      `client-process CPU: library median ${fmt(median(lib.map((r) => r.cpuMs)))} ms, raw ${fmt(median(raw.map((r) => r.cpuMs)))} ms, per-pair CPU ratios ${cpuRatios.map((x) => x.toFixed(3)).join(', ')}; peak RSS library ${fmt(Math.max(...lib.map((r) => r.maxRssMb)))} MB, raw ${fmt(Math.max(...raw.map((r) => r.maxRssMb)))} MB`,
    ],
  };
}

function rssGoal({ count, lib, raw }: Series): GoalReport {
  const libRss = Math.max(...lib.map((r) => r.maxRssMb));
  const rawRss = Math.max(...raw.map((r) => r.maxRssMb));
  return {
    id: 'bulk-rss',
    goal: `bulk, ${fmt(count)} recipients streamed (async generator), summaryOnly: peak RSS of the sendBulk process <= ${GOAL_RSS_MB} MB`,
    figure: `${fmt(libRss)} MB (worst of ${lib.length}; ratio = share of the ${GOAL_RSS_MB} MB limit)`,
    baseline: `raw loop ${fmt(rawRss)} MB (worst of ${raw.length})`,
    ratio: libRss / GOAL_RSS_MB,
    pass: libRss <= GOAL_RSS_MB,
  };
}

export async function runBulkBench(): Promise<GoalReport[]> {
  const sizes = (process.env.BENCH_BULK_SIZES ?? '200000,1000000').split(',').map(Number);
  const pairs = Number(process.env.BENCH_BULK_RUNS ?? 3);
  const input = (process.env.BENCH_BULK_INPUT ?? 'array') as Input;
  const rssCount = Math.min(RSS_RECIPIENTS, Math.max(...sizes));
  const server = await startBenchServer('sandbox', { maxTps: 0, credits: { standard: 1e12 } });
  const goals: GoalReport[] = [];
  const series: Series[] = [];
  try {
    for (const count of sizes) {
      for (const mode of ['summary', 'full'] as const) {
        series.push(await runSeries(server.url, count, mode, input, pairs));
        goals.push(timeGoal(series[series.length - 1]));
      }
    }
    // The memory goal is about streaming: the recipients come from an async generator.
    const streamed =
      series.find((s) => s.input === 'async' && s.mode === 'summary' && s.count === rssCount) ??
      (await runSeries(server.url, rssCount, 'summary', 'async', 1));
    goals.push(rssGoal(streamed));
  } finally {
    await server.stop();
  }
  return goals;
}

if (require.main === module) {
  if (process.argv[2] === ROLE_FLAG) {
    const [role, baseUrl, count, mode, input] = process.argv.slice(3);
    childRun(role as Role, baseUrl, Number(count), mode as Mode, input as Input).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    runMain(runBulkBench);
  }
}
