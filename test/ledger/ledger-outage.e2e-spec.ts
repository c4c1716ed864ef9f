import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { sql } from 'kysely';
import { SmsService } from '@app/thai-bulk-sms';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsSandbox, ThaiBulkSmsTestingModule } from '@app/thai-bulk-sms/testing';
import {
  LedgerHealthIndicator,
  LedgerStats,
  MessageLedger,
  ThaiBulkSmsLedgerModule,
  ThaiBulkSmsLedgerModuleOptions,
} from '@app/thai-bulk-sms/ledger';
import { LedgerStore } from '@app/thai-bulk-sms/ledger/ledger.store';
import { PostgresLedgerStore } from '@app/thai-bulk-sms/ledger/postgres-ledger.store';
import {
  describeWithPostgres,
  dropSchema,
  testDatabaseUrl,
  uniqueSchema,
} from '@app/thai-bulk-sms/ledger/ledger.test-util';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';

const CHUNK = 500;

function numbers(count: number, from: number): string[] {
  return Array.from({ length: count }, (_, i) => `086${String(from + i).padStart(7, '0')}`);
}

/**
 * The ledger's database taken away in the middle of a bulk send, through a TCP proxy (the
 * machine's PostgreSQL is shared and keeps running): sends go on, rows wait in the buffer, and
 * once the database is back every message id the sandbox issued is in the ledger exactly once.
 */
describeWithPostgres(
  'ledger: database outage in the middle of a bulk send (real PostgreSQL behind a TCP proxy)',
  () => {
    const schema = uniqueSchema('outage');
    let proxy: TcpProxy;
    const modules: TestingModule[] = [];

    async function start(options: Partial<ThaiBulkSmsLedgerModuleOptions>) {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ThaiBulkSmsTestingModule.forRoot({ sandbox: { historyLimit: 100_000 } }),
          ThaiBulkSmsLedgerModule.forRoot({
            connection: { url: proxy.url(testDatabaseUrl()), poolSize: 4 },
            schema,
            writeTimeoutMs: 300,
            // The test writes the buffer itself (flush), when it says so.
            retryIntervalMs: 600_000,
            purgeIntervalMs: 0,
            ...options,
          }),
        ],
      }).compile();
      await moduleRef.init();
      modules.push(moduleRef);
      return {
        sms: moduleRef.get(SmsService),
        sandbox: moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX),
        ledger: moduleRef.get(MessageLedger),
        health: moduleRef.get(LedgerHealthIndicator),
        store: moduleRef.get<LedgerStore, PostgresLedgerStore>(LedgerStore),
      };
    }

    /** How many ledger rows each message id has, read straight from PostgreSQL (not through the proxy). */
    async function rowsPerMessageId(store: PostgresLedgerStore, ids: readonly string[]): Promise<Map<string, number>> {
      const { rows } = await sql<{ message_id: string; n: number }>`
      select message_id, count(*)::int as n from ${sql.id(schema, 'message')}
      where message_id = any(${[...ids]}::text[]) group by message_id`.execute(store.database.db);
      return new Map(rows.map((row) => [row.message_id, Number(row.n)]));
    }

    beforeAll(async () => {
      const { hostname, port } = new URL(testDatabaseUrl());
      proxy = await startTcpProxy({ host: hostname, port: Number(port || 5432) });
    });
    afterEach(() => proxy.restore());
    afterAll(async () => {
      for (const moduleRef of modules) await moduleRef.close();
      await proxy?.close();
      await dropSchema(schema);
    }, 30_000);

    it.each([
      ['stopped (connections cut)', (p: TcpProxy) => p.cut()],
      ['hanging (no answer: writes time out, then land late)', (p: TcpProxy) => p.stall()],
    ])(
      'database %s mid-send: every message id the sandbox issued is in the ledger exactly once',
      async (_, fail) => {
        const { sms, sandbox, ledger, health, store } = await start({});
        sandbox.reset();
        const result = await sms.sendBulk({
          to: numbers(20 * CHUNK, Math.floor(Math.random() * 5_000_000)),
          message: 'outage',
          summaryOnly: true,
          onProgress: ({ chunksDone }) => {
            if (chunksDone === 5) fail(proxy);
          },
        });
        expect(result.failedChunks).toEqual([]);
        expect(result.acceptedCount).toBe(20 * CHUNK);
        // The send answered with the database still away: the rows since wait in the buffer.
        const afterSend: LedgerStats = ledger.stats();
        expect(afterSend).toMatchObject({ state: 'buffering', overflowed: 0 });
        expect(afterSend.buffered).toBeGreaterThan(0);
        expect(await health.isHealthy()).toMatchObject({ ledger: { status: 'up', state: 'buffering' } });

        proxy.restore();
        expect(await ledger.flush()).toBe(true);
        expect(ledger.stats()).toMatchObject({ state: 'up', buffered: 0, overflowed: 0 });

        const issued = sandbox.messages().map((message) => message.messageId);
        expect(issued).toHaveLength(20 * CHUNK);
        const counts = await rowsPerMessageId(store, issued);
        expect(counts.size).toBe(issued.length);
        expect([...counts.values()].every((n) => n === 1)).toBe(true);
      },
      120_000,
    );

    it('drops what does not fit in the buffer, logged with its message ids and counted, never silently', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const { sms, sandbox, ledger, health, store } = await start({ bufferSize: 600 });
        sandbox.reset();
        proxy.cut();
        const sent = await sms.sendBulk({ to: numbers(3 * CHUNK, 7_000_000), message: 'overflow' });
        expect(sent.acceptedCount).toBe(3 * CHUNK);
        expect(ledger.stats()).toMatchObject({ state: 'down', buffered: CHUNK, overflowed: 2 * CHUNK });
        expect(await health.isHealthy()).toMatchObject({ ledger: { status: 'down', overflowed: 2 * CHUNK } });
        const logged = errors.mock.calls.map((call) => String(call[0])).join('\n');
        const issued = sandbox.messages().map((message) => message.messageId);
        proxy.restore();
        expect(await ledger.flush()).toBe(true);
        const counts = await rowsPerMessageId(store, issued);
        expect(counts.size).toBe(CHUNK);
        const dropped = issued.filter((id) => !counts.has(id));
        expect(dropped).toHaveLength(2 * CHUNK);
        // Every dropped id is in the log; no phone number is.
        for (const id of dropped) expect(logged).toContain(id);
        expect(logged).not.toMatch(/66\d{9}|0\d{9}/);
        expect(ledger.stats().state).toBe('up');
      } finally {
        errors.mockRestore();
      }
    }, 60_000);

    it('erases a number from the buffer too, while the database is away', async () => {
      const { sms, ledger } = await start({});
      proxy.cut();
      await sms.send({ to: ['0861111111', '0861111112'], message: 'erase while down' });
      expect(ledger.stats().buffered).toBe(2);
      proxy.restore();
      expect(await ledger.erase('086-111-1111')).toMatchObject({ messages: 1 });
      expect(await ledger.flush()).toBe(true);
      expect((await ledger.searchMessages({ phone: '0861111111' })).items).toEqual([]);
      expect((await ledger.searchMessages({ phone: '0861111112' })).items).toHaveLength(1);
    }, 60_000);
  },
);
