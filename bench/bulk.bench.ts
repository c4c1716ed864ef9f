/**
 * Goal 3, bulk scale: 1,000,000 recipients (an async generator of valid numbers) through
 * `sendBulk({ summaryOnly: true })`, rate limit off, against a raw chunked loop doing the same
 * requests (chunks of 500 joined with commas, the same form fields, the same concurrency as the
 * library's maxConcurrency, raw axios over a keep-alive agent, every answer parsed and counted).
 * Time ratio <= 1.2; peak RSS of the sending process <= 200 MB.
 *
 * Each run is its own child process (clean heap, peak RSS of that process alone). Runs come in
 * pairs, raw then library, the next pair library then raw (ABBA over two pairs), so a drift on the
 * shared machine hits both sides. The figure is the median of the per-pair time ratios, with its
 * spread, printed next to the median times of each side (and the ratio of those, labelled).
 *
 *   node bench/run-all.js bulk
 *
 * BENCH_BULK_RECIPIENTS (default 1000000), BENCH_BULK_RUNS (default 4 pairs).
 */
import axios from 'axios';
import * as http from 'node:http';
import { DEFAULT_MAX_CONCURRENCY, MAX_RECIPIENTS_PER_REQUEST } from '../libs/thai-bulk-sms/src';
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

const GOAL_RATIO = 1.2;
const GOAL_RSS_MB = 200;
const MESSAGE = 'Flash sale: 20% off today only';
const SENDER = 'SMS.';
const ROLE_FLAG = '--bulk-role';

interface RunResult {
  readonly role: 'library' | 'raw';
  readonly ms: number;
  readonly accepted: number;
  readonly requests: number;
  readonly maxRssMb: number;
}

/** The baseline: the loop a developer would write by hand, at the library's concurrency. */
async function rawChunkedLoop(
  baseUrl: string,
  recipients: AsyncIterable<string>,
): Promise<{ accepted: number; requests: number }> {
  const agent = new http.Agent({ keepAlive: true });
  const client = axios.create({ httpAgent: agent });
  const auth = sandboxAuth();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  const inFlight = new Set<Promise<void>>();
  let accepted = 0;
  let requests = 0;
  const post = async (numbers: string[]) => {
    const body = new URLSearchParams({
      message: MESSAGE,
      sender: SENDER,
      force: 'standard',
      msisdn: numbers.join(','),
    }).toString();
    const response = await client.post(`${baseUrl}/sms`, body, { auth, headers, maxRedirects: 0 });
    accepted += response.data.phone_number_list.length;
    requests++;
  };
  let chunk: string[] = [];
  const dispatch = async () => {
    const numbers = chunk;
    chunk = [];
    while (inFlight.size >= DEFAULT_MAX_CONCURRENCY) await Promise.race(inFlight);
    const task = post(numbers).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  for await (const phone of recipients) {
    chunk.push(phone);
    if (chunk.length === MAX_RECIPIENTS_PER_REQUEST) await dispatch();
  }
  if (chunk.length) await dispatch();
  await Promise.all(inFlight);
  agent.destroy();
  return { accepted, requests };
}

/** One timed run in this (child) process; reports over IPC. */
async function childRun(role: 'library' | 'raw', baseUrl: string, count: number): Promise<RunResult> {
  const library = role === 'library' ? await createLibrary(baseUrl, { maxTps: 0 }) : undefined;
  const send = async (recipients: AsyncIterable<string>) => {
    if (!library) return rawChunkedLoop(baseUrl, recipients);
    const result = await library.sms.sendBulk({ to: recipients, message: MESSAGE, sender: SENDER, summaryOnly: true });
    if (result.failedChunks.length)
      throw new Error(`${result.failedChunks.length} chunks failed: ${result.failedChunks[0].message}`);
    return { accepted: result.acceptedCount, requests: result.chunks };
  };
  // Warm-up (JIT, sockets), then the measured run.
  await send(thaiNumbers(20_000, 50_000_000));
  const started = performance.now();
  const { accepted, requests } = await send(thaiNumbers(count));
  const ms = performance.now() - started;
  await library?.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  return { role, ms, accepted, requests, maxRssMb };
}

export async function runBulkBench(): Promise<GoalReport[]> {
  const count = Number(process.env.BENCH_BULK_RECIPIENTS ?? 1_000_000);
  const runs = Number(process.env.BENCH_BULK_RUNS ?? 4);
  const server = await startBenchServer('sandbox', { maxTps: 0, credits: { standard: 1e12 } });
  const results: RunResult[] = [];
  // The sending processes run plain JavaScript: under ts-node the TypeScript compiler would sit
  // in their RSS (~50-100 MB) and be counted as the library's memory.
  const childFile = __filename.endsWith('.ts') ? compiledPath('bench/bulk.bench.ts') : __filename;
  try {
    for (let i = 0; i < runs; i++) {
      const order: ('library' | 'raw')[] = i % 2 === 0 ? ['raw', 'library'] : ['library', 'raw'];
      for (const role of order) {
        const r = await runInChild<RunResult>(childFile, [ROLE_FLAG, role, server.url, String(count)]);
        if (r.accepted !== count) throw new Error(`${role} run accepted ${r.accepted} of ${count}`);
        log(
          `${role.padEnd(7)} ${fmt(count)} recipients, ${r.requests} requests: ${fmt(r.ms)} ms (${fmt((count / r.ms) * 1000)} recipients/s), peak RSS ${fmt(r.maxRssMb)} MB`,
        );
        results.push(r);
      }
    }
  } finally {
    await server.stop();
  }
  const lib = results.filter((r) => r.role === 'library');
  const raw = results.filter((r) => r.role === 'raw');
  const ratios = lib.map((r, i) => r.ms / raw[i].ms);
  const ratio = median(ratios);
  const libMs = median(lib.map((r) => r.ms));
  const rawMs = median(raw.map((r) => r.ms));
  const libRss = Math.max(...lib.map((r) => r.maxRssMb));
  const rawRss = Math.max(...raw.map((r) => r.maxRssMb));
  const [q1, , q3] = quartiles(ratios);
  const spread = `min ${Math.min(...ratios).toFixed(3)}, IQR ${q1.toFixed(3)}-${q3.toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}`;
  log(
    `per-pair time ratios (library / raw): ${ratios.map((x) => x.toFixed(3)).join(' ')}; median ${ratio.toFixed(3)}, ${spread}; ratio of the median times ${(libMs / rawMs).toFixed(3)}`,
  );
  return [
    {
      id: 'bulk-time',
      goal: `bulk scale: ${fmt(count)} recipients via sendBulk / raw chunked loop time <= ${GOAL_RATIO} (median of per-pair ratios)`,
      figure: `median ${fmt(libMs)} ms (${fmt((count / libMs) * 1000)} recipients/s)`,
      baseline: `raw loop median ${fmt(rawMs)} ms (${fmt((count / rawMs) * 1000)} recipients/s)`,
      ratio,
      pass: ratio <= GOAL_RATIO,
      notes: [
        `per-pair ratios: ${ratios.map((x) => x.toFixed(3)).join(', ')} (${runs} pairs; ${spread}); ratio of the median times ${(libMs / rawMs).toFixed(3)}`,
      ],
    },
    {
      id: 'bulk-rss',
      goal: `bulk scale: peak RSS of the sendBulk process <= ${GOAL_RSS_MB} MB`,
      figure: `${fmt(libRss)} MB (worst of ${runs}; ratio = share of the ${GOAL_RSS_MB} MB limit)`,
      baseline: `raw loop ${fmt(rawRss)} MB (worst of ${runs})`,
      ratio: libRss / GOAL_RSS_MB,
      pass: libRss <= GOAL_RSS_MB,
    },
  ];
}

if (require.main === module) {
  if (process.argv[2] === ROLE_FLAG) {
    const [role, baseUrl, count] = process.argv.slice(3);
    childRun(role as 'library' | 'raw', baseUrl, Number(count)).then(
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
