import { ChildProcess, fork } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SandboxApiPath, SandboxOptions, SandboxStats, ThaiBulkSmsSandbox } from '../../libs/thai-bulk-sms/src/sandbox';
import autocannon from 'autocannon';

/**
 * The server under test runs in its own process: autocannon and the server sharing one event loop
 * would measure their contention, not the server.
 */
export type BenchServerKind = 'sandbox' | 'bare-http';

export interface BenchServer {
  readonly url: string;
  /** Process id of the server's own process. */
  readonly pid: number;
  /** The sandbox's `stats()` (TPS windows), read over IPC; rejects for the bare server. */
  stats(): Promise<SandboxStats>;
  /**
   * The sandbox's own record of when each API request to `path` arrived (`receivedAt` of its
   * request log, sandbox clock, ms), oldest first; bounded by the sandbox's `historyLimit`.
   */
  arrivals(path: SandboxApiPath): Promise<number[]>;
  /** The sandbox's `reset()`: history, request log, statistics and balances as they started. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** One IPC exchange with the server process: a command and the answer to it, matched by id. */
interface BenchCommand {
  readonly id: number;
  readonly command: 'stats' | 'arrivals' | 'reset';
  readonly path?: string;
}

interface BenchAnswer {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** Sandbox options a bench may set (JSON-serialisable: they travel to the child process). */
export type BenchSandboxOptions = Pick<SandboxOptions, 'maxTps' | 'credits' | 'historyLimit'>;

export type AutocannonOptions = autocannon.Options;
export type AutocannonResult = autocannon.Result;
export { autocannon };

const SERVE_FLAG = '--serve-bench-server';

/** `sandboxOptions` override the no-limit, deep-balance defaults (e.g. `{ maxTps: 120 }`). */
export async function startBenchServer(
  kind: BenchServerKind,
  sandboxOptions: BenchSandboxOptions = {},
): Promise<BenchServer> {
  // Under ts-node the child needs the same TypeScript hooks; after transpiling it needs none.
  const execArgv = __filename.endsWith('.ts')
    ? ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register')]
    : [];
  const child = fork(__filename, [SERVE_FLAG, kind, JSON.stringify(sandboxOptions)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(message as string));
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: BenchAnswer) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  });
  const ask = <T>(command: BenchCommand['command'], path?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (kind !== 'sandbox') return reject(new Error(`only the sandbox answers ${command}`));
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, command, path } satisfies BenchCommand);
    });
  return {
    url,
    pid: child.pid ?? 0,
    stats: () => ask<SandboxStats>('stats'),
    arrivals: (path) => ask<number[]>('arrivals', path),
    reset: () => ask<void>('reset'),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The baseline: node:http answering a fixed 201 JSON body, the ceiling the sandbox can approach. */
async function serveBare(): Promise<string> {
  const body = JSON.stringify({
    remaining_credit: 1,
    total_use_credit: 1,
    credit_type: 'standard',
    phone_number_list: [],
    bad_phone_number_list: [],
  });
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Node's servers close a keep-alive connection after 5 s idle. A client whose pool holds such a
 * connection can pick it just as the server closes it and get ECONNRESET or "socket hang up":
 * the bench's apps sit idle while the other side's rounds run, and one such answer (a 500 or 502)
 * made a whole run invalid. Bench servers keep idle connections for two minutes instead.
 */
function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
}

async function serveSandbox(overrides: BenchSandboxOptions): Promise<string> {
  // No TPS limit and a deep balance by default: the bench measures how fast the sandbox can answer.
  const sandbox = await ThaiBulkSmsSandbox.start({
    port: 0,
    maxTps: 0,
    credits: { standard: 1e12, corporate: 1e12 },
    ...overrides,
  });
  // The sandbox does not expose its server; the bench reaches it to set the idle timeout.
  keepIdleConnections((sandbox as unknown as { server: Server }).server);
  process.on('message', (message: BenchCommand) => {
    let answer: BenchAnswer;
    try {
      if (message.command === 'stats') answer = { id: message.id, result: sandbox.stats() };
      else if (message.command === 'arrivals') {
        answer = {
          id: message.id,
          result: sandbox.requests({ path: message.path as SandboxApiPath }).map((r) => r.receivedAt),
        };
      } else if (message.command === 'reset') {
        sandbox.reset();
        answer = { id: message.id, result: null };
      } else answer = { id: message.id, error: `unknown command ${String(message.command)}` };
    } catch (error) {
      answer = { id: message.id, error: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(answer);
  });
  return sandbox.url;
}

if (process.argv[2] === SERVE_FLAG) {
  const kind = process.argv[3] as BenchServerKind;
  (kind === 'bare-http' ? serveBare() : serveSandbox(JSON.parse(process.argv[4] ?? '{}') as BenchSandboxOptions)).then(
    (url) => process.send?.(url),
    (error: unknown) => {
      process.stderr.write(`bench server failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
  process.once('SIGTERM', () => process.exit(0));
}
