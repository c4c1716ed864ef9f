import { ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { SandboxCredentials, SandboxOptions, SandboxStats } from '@app/thai-bulk-sms/sandbox';

/**
 * The sandbox in a process of its own, for tests that judge timing by the sandbox's clock.
 *
 * In-process, the sandbox stamps an arrival only when the test's event loop gets round to it: a
 * garbage-collection pause of the (large) Jest worker then stamps requests that were already on
 * the wire late, and bunches them into the next second. The vendor sits across a network and
 * does not share our pauses; neither may the judge of our rate limiter.
 */
export interface SandboxProcess {
  readonly url: string;
  readonly credentials: SandboxCredentials;
  stats(): Promise<SandboxStats>;
  /** Every accepted message, oldest first: its number and when the sandbox stamped its request. */
  messages(): Promise<SandboxProcessMessage[]>;
  /** The sandbox's reset(): history, counters and windows cleared. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** What travels back of a message: enough to count per second and to find numbers sent twice. */
export interface SandboxProcessMessage {
  readonly phone: string;
  readonly receivedAt: number;
}

/** Options that can travel to the child as JSON (no clock, no random source). */
export type SandboxProcessOptions = Pick<SandboxOptions, 'maxTps' | 'credits' | 'historyLimit'>;

const ROOT = resolve(__dirname, '../..');
const SERVE_FLAG = '--serve-sandbox';

type Command = 'stats' | 'messages' | 'reset';
type Reply =
  | { type: 'ready'; url: string; credentials: SandboxCredentials }
  | { type: 'stats'; stats: SandboxStats }
  | { type: 'messages'; messages: SandboxProcessMessage[] }
  | { type: 'reset' };

export async function startSandboxProcess(
  options: SandboxProcessOptions = {},
  readyTimeoutMs = 30_000,
): Promise<SandboxProcess> {
  const child = fork(__filename, [SERVE_FLAG, JSON.stringify(options)], {
    cwd: ROOT,
    execArgv: [
      '-r',
      require.resolve('ts-node/register/transpile-only'),
      '-r',
      require.resolve('tsconfig-paths/register'),
    ],
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), TS_NODE_SWC: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextReply(child, 'ready', readyTimeoutMs).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const ask = async <T extends Command>(command: T): Promise<Extract<Reply, { type: T }>> => {
    const reply = nextReply(child, command, 10_000);
    child.send(command);
    return reply;
  };
  return {
    url: ready.url,
    credentials: ready.credentials,
    stats: async () => (await ask('stats')).stats,
    messages: async () => (await ask('messages')).messages,
    reset: async () => void (await ask('reset')),
    close: () => stop(child),
  };
}

function nextReply<T extends Reply['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolvePromise, reject) => {
    const cleanUp = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: Reply) => {
      if (message.type !== type) return;
      cleanUp();
      resolvePromise(message as Extract<Reply, { type: T }>);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanUp();
      reject(new Error(`sandbox process exited (${code ?? signal}) before answering "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanUp();
      reject(new Error(`sandbox process: no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}

async function serve(options: SandboxProcessOptions): Promise<void> {
  // Imported here, not at the top: the parent (a Jest worker) only forks and never needs it.
  const { ThaiBulkSmsSandbox } = await import('@app/thai-bulk-sms/sandbox');
  const sandbox = await ThaiBulkSmsSandbox.start({ ...options, port: 0 });
  process.on('message', (message: Command) => {
    if (message === 'stats') process.send?.({ type: 'stats', stats: sandbox.stats() } satisfies Reply);
    if (message === 'messages') {
      const messages = sandbox.messages().map(({ phone, receivedAt }) => ({ phone, receivedAt }));
      process.send?.({ type: 'messages', messages } satisfies Reply);
    }
    if (message === 'reset') {
      sandbox.reset();
      process.send?.({ type: 'reset' } satisfies Reply);
    }
  });
  process.once('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
  process.once('disconnect', () => void sandbox.close().then(() => process.exit(0)));
  process.send?.({ type: 'ready', url: sandbox.url, credentials: sandbox.credentials } satisfies Reply);
}

if (process.argv[2] === SERVE_FLAG) {
  serve(JSON.parse(process.argv[3] ?? '{}') as SandboxProcessOptions).catch((error: unknown) => {
    process.stderr.write(`sandbox process failed: ${String(error)}\n`);
    process.exit(1);
  });
}
