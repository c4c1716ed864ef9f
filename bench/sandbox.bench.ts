/**
 * Goal 5, the sandbox's own throughput (>= 5,000 POST /sms per second), as a goal for run-all:
 * runs bench/sandbox-throughput.bench.ts (sandbox next to bare node:http, autocannon) several
 * times and reports the medians.
 *
 *   node bench/run-all.js sandbox
 *
 * BENCH_SANDBOX_RUNS (default 3), BENCH_DURATION_S (default 4 here), BENCH_CONNECTIONS (32).
 */
import { fmt, GoalReport, log, median, runMain } from './lib/bench.util';
import { runSandboxThroughputBench } from './sandbox-throughput.bench';

const GOAL_RPS = 5000;

export async function runSandboxBench(): Promise<GoalReport[]> {
  const runs = Number(process.env.BENCH_SANDBOX_RUNS ?? 3);
  process.env.BENCH_DURATION_S ??= '4';
  const sandbox: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`run ${i + 1}/${runs}:`);
    const r = await runSandboxThroughputBench();
    sandbox.push(r.sandboxRps);
    bare.push(r.bareRps);
  }
  const rps = median(sandbox);
  const bareRps = median(bare);
  return [
    {
      id: 'sandbox-rps',
      goal: `sandbox POST /sms throughput >= ${fmt(GOAL_RPS)} req/s`,
      figure: `${fmt(rps)} req/s`,
      baseline: `bare node:http ${fmt(bareRps)} req/s (sandbox/bare ${(rps / bareRps).toFixed(2)})`,
      ratio: rps / GOAL_RPS,
      pass: rps >= GOAL_RPS,
      notes: [
        `runs: ${sandbox.map((x) => fmt(x)).join(', ')} req/s (median of ${runs}, ${process.env.BENCH_DURATION_S} s each)`,
      ],
    },
  ];
}

if (require.main === module) runMain(runSandboxBench);
