import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SmsService, ThaiBulkSmsModule, ThaiBulkSmsModuleOptions } from '../../libs/thai-bulk-sms/src';
import { ThaiBulkSmsTransport } from '../../libs/thai-bulk-sms/src/transport';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../libs/thai-bulk-sms/src/sandbox';

/**
 * Shared by the goal benches: medians, the result line `run-all.js` collects, child processes
 * under the same TypeScript hooks, and an SmsService built exactly as an app builds it.
 */

/** One goal of issue 7, as the summary table shows it. */
export interface GoalReport {
  readonly id: string;
  readonly goal: string;
  /** The measured figure, human-readable (e.g. "118.8 req/s"). */
  readonly figure: string;
  /** The baseline measured in the same run, human-readable. */
  readonly baseline: string;
  /** figure / baseline in the direction the goal states, when the goal is a ratio. */
  readonly ratio?: number;
  readonly pass: boolean;
  readonly notes?: readonly string[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** First quartile, median and third quartile (linear interpolation between closest ranks). */
export function quartiles(values: readonly number[]): [number, number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  return [at(0.25), at(0.5), at(0.75)];
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints the goals; under run-all.js (BENCH_RESULT_FILE set) also hands them over as JSON. */
export function reportGoals(goals: readonly GoalReport[]): void {
  for (const g of goals) {
    log(
      `${g.pass ? 'PASS' : 'MISS'}  ${g.goal}: ${g.figure} vs ${g.baseline}${g.ratio !== undefined ? ` (ratio ${g.ratio.toFixed(3)})` : ''}`,
    );
    for (const note of g.notes ?? []) log(`      ${note}`);
  }
  const file = process.env.BENCH_RESULT_FILE;
  if (file) writeFileSync(file, JSON.stringify(goals));
}

/** Runs a bench's main function when the file is executed directly. */
export function runMain(main: () => Promise<readonly GoalReport[]>): void {
  const started = Date.now();
  main().then(
    (goals) => {
      reportGoals(goals);
      log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
      // Keep-alive sockets and child processes are closed by each bench; exit promptly anyway.
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** node flags that let a child process run TypeScript the way this process does. */
export function tsExecArgv(): string[] {
  return __filename.endsWith('.ts')
    ? ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register')]
    : [];
}

/**
 * Runs `file` in its own process with `args` and resolves with the first IPC message it sends
 * (its result), after it exited. Used where a figure must not share a heap or event loop with
 * the bench itself (peak RSS, app servers).
 */
export function runInChild<T>(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const hooks = file.endsWith('.ts') ? tsExecArgv() : [];
  const child = fork(file, [...args], {
    execArgv: [...hooks, ...(process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let result: T | undefined;
  let received = false;
  child.on('message', (message) => {
    result = message as T;
    received = true;
  });
  return new Promise<T>((resolve, reject) => {
    child.once('exit', (code) =>
      received
        ? resolve(result as T)
        : reject(new Error(`${file} ${args.join(' ')} exited with code ${code} before reporting`)),
    );
  });
}

/** A free TCP port on 127.0.0.1 (for servers started by a script that takes PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LibraryUnderTest {
  readonly sms: SmsService;
  close(): Promise<void>;
}

/**
 * The library as an app gets it: `ThaiBulkSmsModule.forRoot` in a Nest application context,
 * default transport (axios, keep-alive agents) unless `transport` names another. Only warnings
 * and errors are logged, as in the sample app (Nest's default logger would print the client's
 * per-request debug lines).
 */
export async function createLibrary(
  baseUrl: string,
  options: Partial<ThaiBulkSmsModuleOptions> = {},
  transport?: Type<ThaiBulkSmsTransport>,
): Promise<LibraryUnderTest> {
  const { apiKey, apiSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  const context: INestApplicationContext = await NestFactory.createApplicationContext(
    ThaiBulkSmsModule.forRoot({ apiKey, apiSecret, baseUrl, otpBaseUrl: baseUrl, ...options, transport }),
    { logger: ['error', 'warn'] },
  );
  return { sms: context.get(SmsService), close: () => context.close() };
}

/** Basic auth header of the sandbox's default credentials, for raw baselines. */
export function sandboxAuth(): { username: string; password: string } {
  const { apiKey, apiSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  return { username: apiKey, password: apiSecret };
}

/** Valid Thai mobile numbers `08XXXXXXXX`, distinct, read lazily. */
export async function* thaiNumbers(count: number, offset = 0): AsyncGenerator<string> {
  for (let i = 0; i < count; i++) yield `08${String((offset + i) % 100_000_000).padStart(8, '0')}`;
}
