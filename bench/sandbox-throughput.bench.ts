/**
 * How many POST /sms (one number) the sandbox answers per second on loopback, next to bare
 * node:http answering a fixed body, so the figure reads against what this machine can do.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/sandbox-throughput.bench.ts
 *
 * BENCH_DURATION_S (default 8) and BENCH_CONNECTIONS (default 32) tune the run.
 */
import { SANDBOX_DEFAULT_CREDENTIALS } from '../libs/thai-bulk-sms/src/sandbox';
import { autocannon, BenchServerKind, startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RPS = 5000;

interface Measured {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly total: number;
}

async function measure(kind: BenchServerKind, durationS: number, connections: number): Promise<Measured> {
  const server = await startBenchServer(kind);
  const { apiKey, apiSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  const options = {
    url: `${server.url}/sms`,
    method: 'POST' as const,
    headers: {
      authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ msisdn: '0812345678', message: 'Your code is 123456', sender: 'SMS.' }).toString(),
    connections,
  };
  try {
    // Warm-up: lets V8 optimise the hot path before it is measured.
    await autocannon({ ...options, duration: 1 });
    const result = await autocannon({ ...options, duration: durationS });
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      total: result.requests.total,
    };
  } finally {
    await server.stop();
  }
}

function describe(label: string, m: Measured): string {
  return `${label.padEnd(22)} ${Math.round(m.rps).toString().padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  (${m.total} requests, ${m.non2xx} non-2xx, ${m.errors} errors)`;
}

export async function runSandboxThroughputBench(): Promise<{ sandboxRps: number; bareRps: number }> {
  const durationS = Number(process.env.BENCH_DURATION_S ?? 8);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const bare = await measure('bare-http', durationS, connections);
  const sandbox = await measure('sandbox', durationS, connections);
  process.stdout.write(`${describe('bare node:http', bare)}\n${describe('sandbox POST /sms', sandbox)}\n`);
  process.stdout.write(`sandbox / bare node:http: ${(sandbox.rps / bare.rps).toFixed(2)}\n`);
  const rps = Math.round(sandbox.rps);
  process.stdout.write(
    `sandbox POST /sms: ${rps} req/s (goal >= ${GOAL_RPS})${rps >= GOAL_RPS ? '' : '  BELOW GOAL'}\n`,
  );
  if (sandbox.non2xx > 0 || sandbox.errors > 0)
    throw new Error('the sandbox answered errors under load; the figure is not valid');
  return { sandboxRps: sandbox.rps, bareRps: bare.rps };
}

if (require.main === module) {
  runSandboxThroughputBench().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
