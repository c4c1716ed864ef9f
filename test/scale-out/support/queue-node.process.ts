import { ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TEST_PREFIX, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { ScaleOutCommand, ScaleOutReply } from './scale-out.protocol';

const ROOT = resolve(__dirname, '../../..');

export interface QueueNode {
  readonly child: ChildProcess;
  /** Chunk jobs this node's worker completed (as it reported them). */
  readonly completed: () => number;
  send(command: ScaleOutCommand): void;
  /** Waits for the next reply of this type (fails when the node dies or reports an error first). */
  next<T extends ScaleOutReply['type']>(type: T, timeoutMs?: number): Promise<Extract<ScaleOutReply, { type: T }>>;
  /** kill -9: no shutdown hook, no lock released, jobs in flight stay active in Redis. */
  killHard(): Promise<void>;
  /** Closes the app (workers finish their jobs) and waits for the exit. */
  close(): Promise<void>;
  readonly stderr: () => string;
}

/** The sandbox to send to: in this process (ThaiBulkSmsSandbox) or in its own (SandboxProcess). */
export interface SandboxAddress {
  readonly url: string;
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string };
}

/** What every queue node needs: the sandbox to send to, Redis, the queue and the account rate. */
export function queueNodeEnv(
  sandbox: SandboxAddress,
  queueName: string,
  maxTps: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SANDBOX_URL: sandbox.url,
    SANDBOX_API_KEY: sandbox.credentials.apiKey,
    SANDBOX_API_SECRET: sandbox.credentials.apiSecret,
    REDIS_URL: testRedisUrl(),
    QUEUE_NAME: queueName,
    QUEUE_PREFIX: TEST_PREFIX,
    QUEUE_MAX_TPS: String(maxTps),
    ...extra,
  };
}

/** Starts test/scale-out/support/queue-node.main.ts (TypeScript through ts-node/SWC) and waits until it is ready. */
export async function startQueueNode(env: Record<string, string>, readyTimeoutMs = 30_000): Promise<QueueNode> {
  const child = fork(join(__dirname, 'queue-node.main.ts'), [], {
    cwd: ROOT,
    execArgv: [
      '-r',
      require.resolve('ts-node/register/transpile-only'),
      '-r',
      require.resolve('tsconfig-paths/register'),
    ],
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), TS_NODE_SWC: 'true', ...env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let completed = 0;
  const waiters = new Set<{ type: string; resolve: (m: ScaleOutReply) => void; reject: (e: Error) => void }>();
  child.on('message', (message: ScaleOutReply) => {
    if (message.type === 'completed') completed++;
    for (const waiter of [...waiters]) {
      if (message.type === 'error') waiter.reject(new Error(`queue node ${child.pid}: ${message.message}`));
      else if (message.type === waiter.type) waiter.resolve(message);
      else continue;
      waiters.delete(waiter);
    }
  });
  const exited = new Promise<void>((res) =>
    child.on('exit', (code, signal) => {
      for (const waiter of waiters)
        waiter.reject(new Error(`queue node ${child.pid} exited (${code ?? signal}) before replying:\n${stderr}`));
      waiters.clear();
      res();
    }),
  );

  const node: QueueNode = {
    child,
    completed: () => completed,
    stderr: () => stderr,
    send: (command) => child.send(command),
    next: (type, timeoutMs = 120_000) =>
      new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`queue node ${child.pid}: no "${type}" within ${timeoutMs} ms\n${stderr}`)),
          timeoutMs,
        );
        waiters.add({
          type,
          resolve: (m) => (clearTimeout(timer), res(m as never)),
          reject: (e) => (clearTimeout(timer), rej(e)),
        });
      }),
    async killHard() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ cmd: 'close' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  await node.next('ready', readyTimeoutMs);
  return node;
}
