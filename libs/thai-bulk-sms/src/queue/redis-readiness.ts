import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';
import { ThaiBulkSmsQueueConnectionError } from '../errors/queue.errors';

/** `host:port` (or the socket path) of ioredis options, for messages: never user or password. */
export function redisAddressOf(connection: RedisOptions): string {
  const options = connection as { path?: string; host?: string; port?: number };
  return options.path ?? `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}

/** What BullMQ's Queue and Worker have in common that readiness needs. */
export interface RedisBackedEmitter {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Waits until `emitter` (a BullMQ Queue or Worker) has finished connecting, or fails after
 * `timeoutMs` with a ThaiBulkSmsQueueConnectionError (the caller closes it: see closeBeforeReady).
 *
 * Why wait at all: BullMQ's connection, closed while it is still initializing, later rejects its
 * own init promise and emits 'error' on itself after it has removed every listener, which Node
 * turns into an unhandled rejection (an app that starts and stops at once, as tests do).
 * Once init is done, close() quits cleanly. The wait also turns "Redis is down" into a clear
 * bootstrap error instead of an app that starts and then hangs on every enqueue.
 */
export async function waitForRedis(
  emitter: RedisBackedEmitter,
  what: string,
  connection: RedisOptions,
  timeoutMs: number,
): Promise<void> {
  let lastError: string | undefined;
  const remember = (error: Error) => {
    lastError = error.message;
  };
  emitter.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([emitter.waitUntilReady().then(() => 'ready' as const), timedOut]);
    if (outcome === 'ready') return;
  } finally {
    clearTimeout(timer);
    emitter.off('error', remember);
  }
  throw new ThaiBulkSmsQueueConnectionError(what, redisAddressOf(connection), timeoutMs, lastError);
}

/**
 * Closes a Queue or Worker whose connections never became ready, without the unhandled rejection
 * described above: after close() each connection has no listeners left, so one that swallows the
 * late init error is put back (the fields are BullMQ internals, hence the guarded access).
 */
export async function closeBeforeReady(emitter: RedisBackedEmitter): Promise<void> {
  const internals = emitter as unknown as Record<
    'connection' | 'blockingConnection',
    { on?: (event: 'error', listener: () => void) => void } | undefined
  >;
  await emitter.close().catch(() => undefined);
  for (const connection of [internals.connection, internals.blockingConnection]) {
    connection?.on?.('error', () => undefined);
  }
}

/** One of a registration's BullMQ objects, named for messages. */
export interface ReadinessTarget {
  readonly what: string;
  readonly emitter: RedisBackedEmitter;
}

/**
 * Holds bootstrap until the registration's BullMQ objects (queue, worker, dedupe connection,
 * queue events) are connected, then runs `verify` (the global rate limit claim). If either step
 * fails, all of them are closed (nothing keeps retrying in the background) and bootstrap fails
 * with the reason.
 *
 * And holds shutdown (beforeApplicationShutdown, before @nestjs/bullmq closes them) until they
 * have finished connecting. Why: a BullMQ connection closed during its init emits an error with
 * no listener left, an unhandled error in any app that closes before bootstrap finished
 * (docs/decisions.md, "Queue shutdown waits for BullMQ to finish connecting"). A connection still
 * not ready after `timeoutMs` (Redis gone) is closed here the safe way (closeBeforeReady).
 */
export class SmsQueueReadiness implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly connection: RedisOptions,
    private readonly timeoutMs: number,
    /** Read when needed: the worker and the queue events do not exist before module init. */
    private readonly targets: () => ReadonlyArray<ReadinessTarget>,
    private readonly verify: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const targets = this.targets();
    const outcomes = await Promise.allSettled(
      targets.map(({ what, emitter }) => waitForRedis(emitter, what, this.connection, this.timeoutMs)),
    );
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    const error: unknown = failed
      ? failed.reason
      : await this.verify().then(
          () => undefined,
          (e: unknown) => e,
        );
    if (error === undefined) return;
    await Promise.all(targets.map(({ emitter }) => closeBeforeReady(emitter)));
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the readiness failure, as it came
    throw error;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const targets = this.targets();
    let timer: NodeJS.Timeout | undefined;
    // unref: a Redis that never answers must not keep the process alive just for this wait.
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs).unref();
    });
    try {
      await Promise.all(
        targets.map(async ({ emitter }) => {
          const ready = await Promise.race([
            emitter.waitUntilReady().then(
              () => true,
              () => false,
            ),
            timedOut,
          ]);
          if (!ready) await closeBeforeReady(emitter);
        }),
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
