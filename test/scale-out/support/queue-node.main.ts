/**
 * One app instance for the scale-out proofs, run as a child process: ThaiBulkSmsModule against the
 * parent's sandbox plus ThaiBulkSmsQueueModule on the shared Redis queue. Configured by env; takes
 * commands from the parent over IPC and answers on the same channel.
 *
 *   NODE_WORKER=true|false   run a worker in this instance
 *   ACCOUNT_RATE_GATE=false  BullMQ's global rate limit alone (to measure what the send-time gate adds)
 *   LIMITER_MARGIN_MS, LIMITER_WINDOW_MS  the gate's margin, BullMQ's window (library defaults otherwise)
 *   LEDGER_SCHEMA, DATABASE_URL  also record every send in the message ledger (PostgreSQL, that schema)
 *   LEDGER_WRITE_TIMEOUT_MS  the ledger's writeTimeoutMs (library default otherwise)
 *   { cmd: 'enqueue', from, count }                   count single-number alerts, numbers from..from+count-1
 *   { cmd: 'enqueue-dedupe', keys, recipients }       one alert per key (same text, same numbers per key)
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ThaiBulkSmsModule } from '@app/thai-bulk-sms';
import { SmsQueue, ThaiBulkSmsQueueModule } from '@app/thai-bulk-sms/queue';
import { ThaiBulkSmsLedgerModule } from '@app/thai-bulk-sms/ledger';
import { phoneNumber, ScaleOutCommand, ScaleOutReply } from './scale-out.protocol';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

@Module({
  imports: [
    ThaiBulkSmsModule.forRoot({
      apiKey: env('SANDBOX_API_KEY'),
      apiSecret: env('SANDBOX_API_SECRET'),
      baseUrl: env('SANDBOX_URL'),
      maxTps: Number(env('CLIENT_MAX_TPS', '0')),
      isGlobal: true,
    }),
    ThaiBulkSmsQueueModule.forRoot({
      queueName: env('QUEUE_NAME'),
      connection: env('REDIS_URL'),
      prefix: env('QUEUE_PREFIX'),
      maxTps: Number(env('QUEUE_MAX_TPS', '120')),
      ...(process.env.LIMITER_WINDOW_MS ? { limiterWindowMs: Number(process.env.LIMITER_WINDOW_MS) } : {}),
      ...(process.env.LIMITER_MARGIN_MS ? { limiterMarginMs: Number(process.env.LIMITER_MARGIN_MS) } : {}),
      ...(process.env.ACCOUNT_RATE_GATE ? { accountRateGate: process.env.ACCOUNT_RATE_GATE === 'true' } : {}),
      concurrency: Number(env('CONCURRENCY', '16')),
      worker: env('NODE_WORKER', 'true') === 'true',
      lockDurationMs: Number(env('LOCK_DURATION_MS', '30000')),
      stalledIntervalMs: Number(env('STALLED_INTERVAL_MS', '30000')),
    }),
    ...(process.env.LEDGER_SCHEMA
      ? [
          ThaiBulkSmsLedgerModule.forRoot({
            connection: { url: env('DATABASE_URL') },
            schema: process.env.LEDGER_SCHEMA,
            purgeIntervalMs: 0,
            ...(process.env.LEDGER_WRITE_TIMEOUT_MS
              ? { writeTimeoutMs: Number(process.env.LEDGER_WRITE_TIMEOUT_MS) }
              : {}),
          }),
        ]
      : []),
  ],
})
class QueueNodeModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(QueueNodeModule, { logger: ['error', 'warn'] });
  const queue = app.get(SmsQueue);
  const reply = (message: ScaleOutReply) => process.send?.(message);
  queue.on('completed', () => reply({ type: 'completed' }));

  process.on('message', (command: ScaleOutCommand) => {
    void handle(command).catch((error: unknown) =>
      reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));

  async function handle(command: ScaleOutCommand): Promise<void> {
    if (command.cmd === 'enqueue') {
      const started = Date.now();
      const pending = new Set<Promise<unknown>>();
      for (let i = 0; i < command.count; i++) {
        const task = queue
          .enqueue({ to: phoneNumber(command.from + i), message: command.message ?? 'scale-out' })
          .finally(() => pending.delete(task));
        pending.add(task);
        if (pending.size >= 64) await Promise.race(pending);
      }
      await Promise.all(pending);
      reply({ type: 'enqueued', count: command.count, ms: Date.now() - started });
    } else if (command.cmd === 'enqueue-dedupe') {
      const answers = await Promise.all(
        command.keys.map((key, i) =>
          queue.enqueue({ to: command.recipients[i], message: `dedupe ${key}` }, { dedupeKey: key }),
        ),
      );
      reply({
        type: 'enqueued-dedupe',
        duplicates: answers.filter((a) => a.duplicate).length,
        ids: answers.map((a) => a.id),
      });
    } else if (command.cmd === 'close') {
      await app.close();
      reply({ type: 'closed' });
      process.exit(0);
    }
  }
  reply({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
