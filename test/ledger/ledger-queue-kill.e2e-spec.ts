import { Test, TestingModule } from '@nestjs/testing';
import { Client } from 'pg';
import { ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import { SmsQueue, ThaiBulkSmsQueueModule } from '@app/thai-bulk-sms/queue';
import {
  describeWithRedis,
  obliterateQueue,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from '@app/thai-bulk-sms/queue/redis.test-util';
import {
  describeWithPostgres,
  dropSchema,
  testDatabaseUrl,
  uniqueSchema,
} from '@app/thai-bulk-sms/ledger/ledger.test-util';
import { QueueNode, queueNodeEnv, startQueueNode } from '../scale-out/support/queue-node.process';
import { until } from '../scale-out/support/rate-report';
import { phoneNumber } from '../scale-out/support/scale-out.protocol';

const ALERTS = 40;
const PER_ALERT = 100;
const CONCURRENCY = 4;

/**
 * Queue workers (child processes) that record in the ledger; the first is killed with SIGKILL
 * half-way, a second takes over. The ledger must agree with what the sandbox received: no row for
 * a message the sandbox never issued, no message id twice, every number the sandbox got is in the
 * ledger, and the only sandbox messages missing from it are the ones a killed worker had sent and
 * not yet written — at most the recipients of the jobs in flight at the kill.
 */
describeWithRedis('ledger: queue worker killed with SIGKILL mid-job (real Redis, PostgreSQL, child processes)', () => {
  describeWithPostgres('the ledger agrees with the sandbox', () => {
    const queueName = uniqueQueueName('ledger-kill');
    const schema = uniqueSchema('kill');
    let sandbox: ThaiBulkSmsSandbox;
    let producer: TestingModule;
    let queue: SmsQueue;
    const nodes: QueueNode[] = [];

    beforeAll(async () => {
      sandbox = await ThaiBulkSmsSandbox.start({
        port: 0,
        maxTps: 0,
        credits: { standard: 1_000_000 },
        historyLimit: 4 * ALERTS * PER_ALERT,
      });
      // Each request takes a little while, so a kill finds jobs in flight.
      sandbox.inject({ kind: 'slow', delayMs: 100 }, { path: '/sms', rate: 1 });
      producer = await Test.createTestingModule({
        imports: [
          ThaiBulkSmsQueueModule.forRoot({ queueName, connection: testRedisUrl(), prefix: TEST_PREFIX, worker: false }),
        ],
      }).compile();
      await producer.init();
      queue = producer.get(SmsQueue);
    }, 30_000);

    afterAll(async () => {
      await Promise.all(nodes.map((node) => node.close()));
      await producer?.close();
      await sandbox?.close();
      await obliterateQueue(queueName);
      await dropSchema(schema);
    }, 30_000);

    it('after a kill -9 and a takeover, every number the sandbox got is in the ledger; nothing phantom, nothing twice', async () => {
      const alertIds: string[] = [];
      for (let a = 0; a < ALERTS; a++) {
        const to = Array.from({ length: PER_ALERT }, (_, i) => phoneNumber(a * PER_ALERT + i));
        alertIds.push((await queue.enqueue({ to, message: 'ledger kill' })).id);
      }
      const env = queueNodeEnv(sandbox, queueName, 100_000, {
        CONCURRENCY: String(CONCURRENCY),
        LOCK_DURATION_MS: '3000',
        STALLED_INTERVAL_MS: '1000',
        LEDGER_SCHEMA: schema,
        DATABASE_URL: testDatabaseUrl(),
        // The database is up: a busy machine must not push rows into the buffer, which a kill -9 loses.
        LEDGER_WRITE_TIMEOUT_MS: '30000',
      });
      const first = await startQueueNode(env);
      nodes.push(first);
      await until(
        () => sandbox.messages().length >= (ALERTS * PER_ALERT) / 2,
        60_000,
        'half of the messages to arrive',
      );
      await first.killHard();
      const arrivedAtKill = sandbox.messages().length;
      const inFlightAtKill = await queue.queue.getActiveCount();

      const second = await startQueueNode(env);
      nodes.push(second);
      await until(async () => (await queue.queue.getCompletedCount()) >= ALERTS, 60_000, 'every job to complete');
      // A clean shutdown writes what the ledger still buffers (a write slower than writeTimeoutMs on a busy machine).
      await second.close();

      const client = new Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      const { rows } = await client
        .query<{ message_id: string; phone: string; reference: string }>(
          `select m.message_id, m.phone, r.reference from "${schema}".message m
           join "${schema}".request r on r.created_at = m.created_at and r.request_id = m.request_id`,
        )
        .finally(() => client.end());

      const issued = new Map(sandbox.messages().map((message) => [message.messageId, message.phone]));
      const recorded = rows.map((row) => row.message_id);
      const phantom = recorded.filter((id) => !issued.has(id));
      const missing = [...issued.keys()].filter((id) => !recorded.includes(id));
      const recordedPhones = new Set(rows.map((row) => row.phone));
      console.log(
        `ledger after kill -9: sandbox issued ${issued.size} message ids, ledger holds ${recorded.length}; ` +
          `${missing.length} sent by the killed worker and never written (bound: ${inFlightAtKill} jobs in flight × ${PER_ALERT})`,
      );
      expect(arrivedAtKill).toBeLessThan(ALERTS * PER_ALERT);
      expect(phantom).toEqual([]);
      expect(new Set(recorded).size).toBe(recorded.length);
      expect([...new Set(issued.values())].filter((phone) => !recordedPhones.has(phone))).toEqual([]);
      expect(missing.length).toBeLessThanOrEqual(inFlightAtKill * PER_ALERT);
      expect(new Set(rows.map((row) => row.reference))).toEqual(new Set(alertIds));
    }, 150_000);
  });
});
