import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ThaiBulkSmsSandbox } from 'nestjs-thaibulksms/sandbox';
import { ThaiBulkSmsTestingModule } from 'nestjs-thaibulksms/testing';
import { SmsQueue, ThaiBulkSmsQueueModule } from 'nestjs-thaibulksms/queue';
import type { SmsSendStatus } from 'nestjs-thaibulksms/queue';

const REDIS = { host: '127.0.0.1', port: 6379 };

/** Whether Redis answers on loopback; the queue check needs one (CI has it). */
function redisUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS);
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

/**
 * The `nestjs-thaibulksms/queue` subpath, as a consumer registers it: the queue module beside the
 * testing module, a send enqueued, the worker sending it to the sandbox. Without Redis it says so
 * and skips, except under CI (any value but empty, false or 0), where it fails.
 */
export async function checkQueue(check: (condition: unknown, what: string) => asserts condition): Promise<void> {
  if (!(await redisUp())) {
    const why = `Redis is not reachable at ${REDIS.host}:${REDIS.port}`;
    const ci = (process.env.CI ?? '').trim().toLowerCase();
    if (ci !== '' && ci !== 'false' && ci !== '0')
      throw new Error(`${why}; CI=${process.env.CI}, so the queue check fails instead of skipping`);
    console.log(`  SKIPPED - the queue subpath: ${why}`);
    return;
  }
  const queueName = `consumer-${process.pid}-${randomBytes(3).toString('hex')}`;
  const prefix = 'tbs-consumer-check';

  @Module({
    imports: [
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsQueueModule.forRoot({ connection: `redis://${REDIS.host}:${REDIS.port}`, prefix, queueName }),
    ],
  })
  class QueueAppModule {}

  const app = await NestFactory.createApplicationContext(QueueAppModule, { logger: ['error', 'warn'] });
  try {
    const queue = app.get(SmsQueue);
    const sandbox = app.get(ThaiBulkSmsSandbox);
    const { id, chunks } = await queue.enqueue({
      to: ['0812345678', '0898765432'],
      message: 'queued from the tarball',
    });
    check(chunks === 1, `SmsQueue.enqueue queued alert ${id} as one chunk job`);
    let status: SmsSendStatus | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      status = await queue.getStatus(id);
      if (status?.state === 'completed' || status?.state === 'failed') break;
    }
    check(
      status?.state === 'completed' && status.accepted === 2,
      `the worker sent it: ${JSON.stringify(status && { state: status.state, accepted: status.accepted })}`,
    );
    check(
      sandbox.messages().filter((m) => m.message === 'queued from the tarball').length === 2,
      'the sandbox received both numbers',
    );
    await queue.queue.obliterate({ force: true });
  } finally {
    await app.close();
  }
}
