/**
 * Issue 18, against the peer: single sends of one number through this library with the default
 * transport (@nestjs/axios), through it with UndiciThaiBulkSmsTransport, and through the npm
 * client `thaibulksms-api@1.0.7` (axios 0.21, a JSON body, Node's global keep-alive agent; its
 * `api` option takes the base URL), all against one sandbox in its own process with its TPS limit
 * off. Each round sends N with each client at the given concurrency, the clients' order rotating
 * from round to round, so a drift on the machine hits all three. Measured per block: wall time
 * (req/s) and CPU time of this (the client) process per request. The figures are medians of the
 * per-round ratios. The measuring process runs the compiled JavaScript (lib/compile-js.ts): under
 * ts-node, Node's `domain` module wraps every EventEmitter emit, which costs the axios clients
 * more than undici and would flatter the ratios.
 *
 * Goals (at concurrency 1 and 32): the undici transport >= 1.5 x the peer's rate, and its CPU per
 * request <= 0.8 x the peer's. The default transport's figures against the peer are printed for
 * reference; its own goal is the overhead bench's (<= 1.10 x raw axios).
 *
 *   node bench/run-all.js peer
 *
 * BENCH_PEER_SENDS (default 2000 per client per round), BENCH_PEER_ROUNDS (default 7).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sms as peerSms } from 'thaibulksms-api';
import { UndiciThaiBulkSmsTransport } from '../libs/thai-bulk-sms/src/undici';
import { createLibrary, fmt, GoalReport, log, median, quartiles, runInChild, runMain } from './lib/bench.util';
import { compiledPath } from './lib/compile-js';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../libs/thai-bulk-sms/src/sandbox';
import { startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RATE = 1.5;
const GOAL_CPU = 0.8;
const MESSAGE = 'Your code is 123456';
const SENDER = 'SMS.';
const PHONE = '0812345678';
const CHILD_FLAG = '--peer-measure';
/** Under run-all.js the peer table also goes beside the results file; run-all prints it last. */
const PEER_TABLE_FILE = 'peer.table.md';

type ClientName = 'axios' | 'undici' | 'peer';
const CLIENTS: readonly ClientName[] = ['axios', 'undici', 'peer'];
const LABEL: Record<ClientName, string> = {
  axios: 'library, axios transport (default)',
  undici: 'library, undici transport',
  peer: 'thaibulksms-api 1.0.7',
};

interface Block {
  readonly ms: number;
  /** CPU time of this process (user + system) per request, µs. */
  readonly cpuUs: number;
}

async function timeBlock(send: () => Promise<unknown>, requests: number, concurrency: number): Promise<Block> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      await send();
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuUs: (used.user + used.system) / requests };
}

const spread = (values: readonly number[]): string => {
  const [q1, q2, q3] = quartiles(values);
  return `median ${q2.toFixed(3)}, IQR ${q1.toFixed(3)}-${q3.toFixed(3)}, min ${Math.min(...values).toFixed(3)}, max ${Math.max(...values).toFixed(3)}`;
};

export function runPeerBench(): Promise<GoalReport[]> {
  if (!__filename.endsWith('.ts')) return measure();
  return runInChild<GoalReport[]>(compiledPath('bench/peer.bench.ts'), [CHILD_FLAG]);
}

async function measure(): Promise<GoalReport[]> {
  const sends = Number(process.env.BENCH_PEER_SENDS ?? 2000);
  const rounds = Number(process.env.BENCH_PEER_ROUNDS ?? 7);
  // No request history in the sandbox: its log would make garbage in the server process that
  // lands at random in short blocks; the bench measures the clients.
  const server = await startBenchServer('sandbox', { maxTps: 0, historyLimit: 0 });
  const axiosLibrary = await createLibrary(server.url, { maxTps: 0 });
  const undiciLibrary = await createLibrary(server.url, { maxTps: 0 }, UndiciThaiBulkSmsTransport);
  const { apiKey, apiSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  const peer = peerSms({ apiKey, apiSecret, api: server.url });
  const senders: Record<ClientName, () => Promise<unknown>> = {
    axios: () => axiosLibrary.sms.send({ to: PHONE, message: MESSAGE, sender: SENDER }),
    undici: () => undiciLibrary.sms.send({ to: PHONE, message: MESSAGE, sender: SENDER }),
    peer: async () => {
      const answer = await peer.sendSMS({ msisdn: PHONE, message: MESSAGE, sender: SENDER, force: 'standard' });
      if (answer.phone_number_list.length !== 1) throw new Error('the peer send was not accepted');
    },
  };

  const goals: GoalReport[] = [];
  const table: TableColumn[] = [];
  try {
    for (const concurrency of [1, 32]) {
      // Warm-up: JIT and keep-alive sockets of every client.
      for (const name of CLIENTS) await timeBlock(senders[name], sends, concurrency);
      const blocks: Record<ClientName, Block[]> = { axios: [], undici: [], peer: [] };
      for (let round = 0; round < rounds; round++) {
        const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length]);
        for (const name of round % 2 ? order.reverse() : order) {
          blocks[name].push(await timeBlock(senders[name], sends, concurrency));
        }
      }
      const rate = (block: Block) => (sends / block.ms) * 1000;
      const rateRatios = (name: ClientName) => blocks[name].map((b, i) => rate(b) / rate(blocks.peer[i]));
      const cpuRatios = (name: ClientName) => blocks[name].map((b, i) => b.cpuUs / blocks.peer[i].cpuUs);
      const medianRate = (name: ClientName) => median(blocks[name].map(rate));
      const medianCpu = (name: ClientName) => median(blocks[name].map((b) => b.cpuUs));
      log(`concurrency ${concurrency}: ${rounds} rounds of ${fmt(sends)} sends per client`);
      for (const name of CLIENTS) {
        log(
          `  ${LABEL[name].padEnd(36)} median ${fmt(medianRate(name))} req/s, ${fmt(medianCpu(name))} us CPU per request`,
        );
      }
      for (const name of ['undici', 'axios'] as const) {
        log(`  ${name} / peer, per round: rate ${spread(rateRatios(name))}; CPU ${spread(cpuRatios(name))}`);
      }
      table.push({
        concurrency,
        rate: Object.fromEntries(CLIENTS.map((name) => [name, medianRate(name)])) as Record<ClientName, number>,
        cpuUs: Object.fromEntries(CLIENTS.map((name) => [name, medianCpu(name)])) as Record<ClientName, number>,
        rateRatio: { axios: median(rateRatios('axios')), undici: median(rateRatios('undici')), peer: 1 },
        cpuRatio: { axios: median(cpuRatios('axios')), undici: median(cpuRatios('undici')), peer: 1 },
      });
      const row = (name: ClientName) =>
        `${fmt(medianRate(name))} req/s, ${fmt(medianCpu(name))} us CPU/request (${LABEL[name]})`;
      const peerRow = row('peer');
      const undiciRate = median(rateRatios('undici'));
      const undiciCpu = median(cpuRatios('undici'));
      goals.push(
        {
          id: `peer-rate-c${concurrency}`,
          goal: `single sends, concurrency ${concurrency}: undici transport / peer req/s >= ${GOAL_RATE} (median of per-round ratios)`,
          figure: row('undici'),
          baseline: peerRow,
          ratio: undiciRate,
          pass: undiciRate >= GOAL_RATE,
          notes: [`per-round rate ratios: ${spread(rateRatios('undici'))} (${rounds} rounds)`],
        },
        {
          id: `peer-cpu-c${concurrency}`,
          goal: `single sends, concurrency ${concurrency}: undici transport / peer client CPU per request <= ${GOAL_CPU}`,
          figure: `${fmt(medianCpu('undici'))} us`,
          baseline: `${fmt(medianCpu('peer'))} us`,
          ratio: undiciCpu,
          pass: undiciCpu <= GOAL_CPU,
          notes: [`per-round CPU ratios: ${spread(cpuRatios('undici'))}`],
        },
        {
          id: `peer-default-c${concurrency}`,
          goal: `for reference, concurrency ${concurrency}: default (axios) transport / peer req/s (its goal is the overhead bench's)`,
          figure: row('axios'),
          baseline: peerRow,
          ratio: median(rateRatios('axios')),
          pass: true,
          notes: [`per-round CPU ratios axios / peer: ${spread(cpuRatios('axios'))}`],
        },
      );
    }
  } finally {
    await axiosLibrary.close();
    await undiciLibrary.close();
    await server.stop();
  }
  const markdown = peerTable(table, sends, rounds);
  log(`\n${markdown}`);
  const results = process.env.BENCH_RESULT_FILE;
  if (results) writeFileSync(join(dirname(results), PEER_TABLE_FILE), markdown);
  return goals;
}

interface TableColumn {
  readonly concurrency: number;
  readonly rate: Record<ClientName, number>;
  readonly cpuUs: Record<ClientName, number>;
  /** Medians of the per-round ratios to the peer. */
  readonly rateRatio: Record<ClientName, number>;
  readonly cpuRatio: Record<ClientName, number>;
}

/** The peer table of bench/RESULTS.md, as markdown. */
function peerTable(columns: readonly TableColumn[], sends: number, rounds: number): string {
  const head = columns.flatMap((c) => [
    `req/s c=${c.concurrency}`,
    `/ peer`,
    `CPU us/req c=${c.concurrency}`,
    `/ peer`,
  ]);
  const lines = [
    `| client | ${head.join(' | ')} |`,
    `|---|${head.map(() => '---:').join('|')}|`,
    ...CLIENTS.map(
      (name) =>
        `| ${LABEL[name]} | ${columns
          .flatMap((c) => [
            fmt(c.rate[name]),
            c.rateRatio[name].toFixed(2),
            fmt(c.cpuUs[name]),
            c.cpuRatio[name].toFixed(2),
          ])
          .join(' | ')} |`,
    ),
    '',
    `Single sends of one number, ${fmt(sends)} per client per round, ${rounds} interleaved rounds, sandbox in its own process with its TPS limit off; medians (ratios: medians of the per-round ratios).`,
  ];
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  if (process.argv[2] === CHILD_FLAG) {
    measure().then(
      (goals) => process.send?.(goals, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    runMain(runPeerBench);
  }
}
